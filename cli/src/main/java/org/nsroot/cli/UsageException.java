package org.nsroot.cli;

/** A command line that cannot be carried out as written. */
public class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
