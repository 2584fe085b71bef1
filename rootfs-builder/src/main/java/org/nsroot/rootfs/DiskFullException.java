package org.nsroot.rootfs;

/** The build's filesystem is (nearly) full: nothing about the image is wrong. */
public final class DiskFullException extends RootfsException {
  public DiskFullException(String message) {
    super(message);
  }
}
