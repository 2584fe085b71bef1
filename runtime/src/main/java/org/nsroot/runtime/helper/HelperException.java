package org.nsroot.runtime.helper;

import org.nsroot.runtime.RunException;

/** The nsroot-exec helper cannot be unpacked, found or trusted. */
public class HelperException extends RunException {
  public HelperException(String message) {
    super(message);
  }

  public HelperException(String message, Throwable cause) {
    super(message, cause);
  }
}
