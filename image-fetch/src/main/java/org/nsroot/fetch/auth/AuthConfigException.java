package org.nsroot.fetch.auth;

import org.nsroot.fetch.FetchException;

/** The docker config or a credential helper could not be read. */
public class AuthConfigException extends FetchException {
  public AuthConfigException(String message) {
    super(message);
  }
}
