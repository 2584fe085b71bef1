package org.nsroot.fetch.store;

import org.nsroot.fetch.FetchException;

/** The local store cannot be read or written: permissions, a full disk, corruption. */
public class StoreException extends FetchException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
