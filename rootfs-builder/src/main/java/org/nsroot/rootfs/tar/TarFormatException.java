package org.nsroot.rootfs.tar;

import java.io.IOException;

/** The stream is not a valid tar: "invalid tar header", "unexpected EOF", bad numeric field. */
public class TarFormatException extends IOException {
  public TarFormatException(String message) {
    super(message);
  }
}
