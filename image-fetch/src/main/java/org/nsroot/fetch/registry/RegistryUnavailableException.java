package org.nsroot.fetch.registry;

/** The registry could not be reached, or kept failing after the retries (5xx, 429, resets, TLS). */
public class RegistryUnavailableException extends RegistryException {
  public RegistryUnavailableException(String message) {
    super(message);
  }

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
