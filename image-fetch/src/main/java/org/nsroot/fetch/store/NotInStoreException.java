package org.nsroot.fetch.store;

/** An image that the store does not hold (and, offline, cannot fetch). */
public class NotInStoreException extends StoreException {
  public NotInStoreException(String message) {
    super(message);
  }
}
