package org.nsroot.fetch.registry;

/** 401 or 403: credentials missing, wrong, or without access. Never retried. */
public class RegistryAuthException extends RegistryException {
  public RegistryAuthException(String message) {
    super(message);
  }
}
