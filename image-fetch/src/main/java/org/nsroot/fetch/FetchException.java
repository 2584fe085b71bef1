package org.nsroot.fetch;

/**
 * Root of every failure of image-fetch: references, registries, verification and the store. The
 * message is one line that says what happened and what to do; callers map subclasses to exit codes.
 */
public class FetchException extends Exception {
  public FetchException(String message) {
    super(message);
  }

  public FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
