package org.nsroot.rootfs;

/** A configured bound ({@link BuildLimits}) was hit: bomb, header size, depth, disk space, layers. */
public final class LimitExceededException extends RootfsException {
  public LimitExceededException(String message) {
    super(message);
  }
}
