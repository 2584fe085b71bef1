package org.nsroot.fetch.reference;

import org.nsroot.fetch.FetchException;

/** An image reference that docker's grammar does not accept. */
public class InvalidReferenceException extends FetchException {
  public InvalidReferenceException(String message) {
    super(message);
  }
}
