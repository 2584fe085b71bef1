package org.nsroot.fetch.manifest;

import org.nsroot.fetch.FetchException;

/** A manifest, index or config that is malformed, ambiguous or of a kind nsroot does not run. */
public class ManifestException extends FetchException {
  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
