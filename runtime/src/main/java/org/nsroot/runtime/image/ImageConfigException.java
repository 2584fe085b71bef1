package org.nsroot.runtime.image;

import org.nsroot.runtime.RunException;

/** The image's config (Env, User, Entrypoint, Cmd) or its /etc/passwd cannot be used for a run. */
public class ImageConfigException extends RunException {
  public ImageConfigException(String message) {
    super(message);
  }
}
