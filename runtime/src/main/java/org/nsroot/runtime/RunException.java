package org.nsroot.runtime;

/** Root of every failure of the runtime before the command starts. */
public class RunException extends Exception {
  public RunException(String message) {
    super(message);
  }

  public RunException(String message, Throwable cause) {
    super(message, cause);
  }
}
