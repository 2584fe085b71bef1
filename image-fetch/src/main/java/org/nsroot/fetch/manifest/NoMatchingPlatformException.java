package org.nsroot.fetch.manifest;

/** An index without an image for the platform asked for; the message lists what it has. */
public class NoMatchingPlatformException extends ManifestException {
  public NoMatchingPlatformException(String message) {
    super(message);
  }
}
