package org.nsroot.fetch.store;

/** Something in the store is not what it claims to be; the message says how to repair it. */
public class StoreCorruptException extends StoreException {
  public StoreCorruptException(String message) {
    super(message);
  }
}
