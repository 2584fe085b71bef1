package org.nsroot.rootfs.tar;

import java.io.IOException;

/** A header is larger than the configured bound (PAX header, long name, sparse map). */
public final class TarLimitException extends IOException {
  public TarLimitException(String message) {
    super(message);
  }
}
