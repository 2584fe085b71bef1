package org.nsroot.fetch.digest;

import org.nsroot.fetch.FetchException;

/** Bytes that do not hash to the digest, or do not have the size, that named them. */
public class ContentMismatchException extends FetchException {
  public ContentMismatchException(String message) {
    super(message);
  }
}
