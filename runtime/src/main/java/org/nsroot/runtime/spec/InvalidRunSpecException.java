package org.nsroot.runtime.spec;

import org.nsroot.runtime.RunException;

/** A run was asked for something that cannot be expressed safely (a relative path, a bad name). */
public class InvalidRunSpecException extends RunException {
  public InvalidRunSpecException(String message) {
    super(message);
  }
}
