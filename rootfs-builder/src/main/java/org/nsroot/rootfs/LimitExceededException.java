package org.nsroot.rootfs;

/** A configured bound ({@link BuildLimits}) was hit: bomb, header size, depth, layers. */
public final class LimitExceededException extends RootfsException {
  public LimitExceededException(String message) {
    super(message);
  }
}
