package org.nsroot.rootfs.posix;

import java.io.IOException;
import jnr.constants.platform.Errno;

/** A failed system call: carries errno so callers can react to ENOENT, EEXIST, EACCES, ... */
public final class PosixException extends IOException {
  private final int errno;

  public PosixException(String call, int errno, String detail) {
    super(call + ": " + describe(errno) + (detail == null ? "" : " (" + detail + ")"));
    this.errno = errno;
  }

  /** The errno value of the failed call. */
  public int errno() {
    return errno;
  }

  /** "ENOENT No such file or directory", or the number when unknown. */
  public static String describe(int errno) {
    Errno e = Errno.valueOf(errno);
    return e == null || e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.name() + " " + e.description();
  }
}
