package org.nsroot.rootfs.posix;

/** The fields of {@code struct statx} that the builder reads. Never follows a symlink itself. */
public final class Stat {
  public static final int S_IFMT = 0170000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFLNK = 0120000;
  public static final int S_IFIFO = 0010000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFBLK = 0060000;
  public static final int S_IFSOCK = 0140000;

  public final int mode;
  public final long ino;
  public final long dev;
  public final int nlink;
  public final long size;
  public final long mtimeSec;
  public final int mtimeNsec;

  Stat(byte[] b) {
    // struct statx has the same layout on every Linux architecture (include/uapi/linux/stat.h).
    nlink = i32(b, 16);
    mode = (b[28] & 0xff) | (b[29] & 0xff) << 8;
    ino = i64(b, 32);
    size = i64(b, 40);
    mtimeSec = i64(b, 112);
    mtimeNsec = i32(b, 120);
    dev = ((long) i32(b, 136) << 32) | (i32(b, 140) & 0xffffffffL);
  }

  public int type() {
    return mode & S_IFMT;
  }

  public int perm() {
    return mode & 07777;
  }

  public boolean isDir() {
    return type() == S_IFDIR;
  }

  public boolean isSymlink() {
    return type() == S_IFLNK;
  }

  public boolean isRegular() {
    return type() == S_IFREG;
  }

  /** Same inode: the only identity that a rename or a symlink cannot fake. */
  public boolean sameInode(Stat o) {
    return o != null && ino == o.ino && dev == o.dev;
  }

  private static int i32(byte[] b, int o) {
    return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
  }

  private static long i64(byte[] b, int o) {
    return (i32(b, o) & 0xffffffffL) | ((long) i32(b, o + 4) << 32);
  }
}
