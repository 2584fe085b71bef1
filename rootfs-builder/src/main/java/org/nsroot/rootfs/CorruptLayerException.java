package org.nsroot.rootfs;

/** The layer stream is not a valid (compressed) tar: "invalid tar header", "unexpected EOF". */
public final class CorruptLayerException extends RootfsException {
  public CorruptLayerException(String message, Throwable cause) {
    super(message, cause);
  }
}
