package org.nsroot.runtime.helper;

/**
 * The helper on disk is not the one this jar ships: its hash, owner or mode changed. It is never
 * run then, because whoever can replace it can run anything as the user.
 */
public class HelperTamperedException extends HelperException {
  public HelperTamperedException(String message) {
    super(message);
  }
}
