package org.nsroot.fetch.digest;

import org.nsroot.fetch.FetchException;

/** A digest string that is malformed or uses an unsupported algorithm. */
public class InvalidDigestException extends FetchException {
  public InvalidDigestException(String message) {
    super(message);
  }
}
