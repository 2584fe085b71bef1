package org.nsroot.rootfs;

/** Root of every failure of rootfs-builder. The message is one line naming the entry and layer. */
public class RootfsException extends Exception {
  public RootfsException(String message) {
    super(message);
  }

  public RootfsException(String message, Throwable cause) {
    super(message, cause);
  }
}
