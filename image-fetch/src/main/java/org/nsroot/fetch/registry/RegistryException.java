package org.nsroot.fetch.registry;

import org.nsroot.fetch.FetchException;

/** A registry refused, failed or could not be reached. */
public class RegistryException extends FetchException {
  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
