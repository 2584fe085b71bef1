package org.nsroot.rootfs.posix;

import java.util.Arrays;

/**
 * Reads the entries of an open directory with getdents64(2), names as raw bytes. "." and ".." are
 * skipped. The descriptor is not owned: the caller closes it.
 */
public final class DirReader {
  public static final int DT_UNKNOWN = 0;
  public static final int DT_DIR = 4;
  public static final int DT_LNK = 10;

  private int fd;
  private final byte[] buf = new byte[32 * 1024];
  private int len;
  private int pos;
  private byte[] name;
  private int type;

  public DirReader(int fd) {
    this.fd = fd;
  }

  /** Reads another directory with the same buffer. */
  public void reset(int fd) {
    this.fd = fd;
    len = 0;
    pos = 0;
  }

  /** Restarts the listing from the first entry. */
  public void rewind() throws PosixException {
    Posix.rewind(fd);
    len = 0;
    pos = 0;
  }

  /** Advances to the next entry; false at the end of the directory. */
  public boolean next() throws PosixException {
    while (true) {
      if (pos >= len) {
        len = Posix.getdents(fd, buf);
        pos = 0;
        if (len == 0) {
          return false;
        }
      }
      // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
      int reclen = (buf[pos + 16] & 0xff) | (buf[pos + 17] & 0xff) << 8;
      type = buf[pos + 18] & 0xff;
      int start = pos + 19;
      int end = start;
      while (buf[end] != 0) {
        end++;
      }
      pos += reclen;
      int n = end - start;
      if ((n == 1 && buf[start] == '.') || (n == 2 && buf[start] == '.' && buf[start + 1] == '.')) {
        continue;
      }
      name = Arrays.copyOfRange(buf, start, end);
      return true;
    }
  }

  public byte[] name() {
    return name;
  }

  /** d_type: {@link #DT_DIR}, {@link #DT_LNK}, ..., or {@link #DT_UNKNOWN} (then lstat). */
  public int type() {
    return type;
  }
}
