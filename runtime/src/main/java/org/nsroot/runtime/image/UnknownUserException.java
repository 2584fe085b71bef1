package org.nsroot.runtime.image;

/** A user or group named by the image or by --user is not in the image's own passwd or group file. */
public class UnknownUserException extends ImageConfigException {
  public UnknownUserException(String message) {
    super(message);
  }
}
