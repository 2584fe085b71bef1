package org.nsroot.runtime.launch;

import org.nsroot.runtime.RunException;

/** The helper process could not be started (or the JVM could not be replaced by it). */
public class LaunchException extends RunException {
  public LaunchException(String message) {
    super(message);
  }

  public LaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
