package org.nsroot.rootfs.posix;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.file.Path;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * Errno-checked wrappers around {@link LibC}. Every path argument is a raw byte name without the
 * terminating NUL (added here), relative to a directory file descriptor, so nothing depends on the
 * JVM's file-name encoding. Only the caller's own directories (the rootfs, the work directory)
 * are opened or renamed by absolute path; nothing inside a rootfs is resolved by the kernel from
 * the host's root.
 *
 * <p>Only Linux on x86_64 and aarch64 is supported: the open(2) flag values differ per
 * architecture and are chosen at class initialisation.
 */
public final class Posix {
  public static final int AT_FDCWD = -100;
  public static final int AT_SYMLINK_NOFOLLOW = 0x100;
  public static final int AT_REMOVEDIR = 0x200;
  public static final int AT_EMPTY_PATH = 0x1000;

  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_NONBLOCK = 04000;
  public static final int O_CLOEXEC = 02000000;
  public static final int O_PATH = 010000000;
  public static final int O_DIRECTORY;
  public static final int O_NOFOLLOW;

  public static final int ENOENT = 2;
  public static final int EPERM = 1;
  public static final int EACCES = 13;
  public static final int EEXIST = 17;
  public static final int EXDEV = 18;
  public static final int ENOTDIR = 20;
  public static final int EISDIR = 21;
  public static final int EINVAL = 22;
  public static final int ENOSPC = 28;
  public static final int EMLINK = 31;
  public static final int ERANGE = 34;
  public static final int ENAMETOOLONG = 36;
  public static final int ENOSYS = 38;
  public static final int ENOTEMPTY = 39;
  public static final int ELOOP = 40;
  public static final int ENODATA = 61;
  public static final int ENOTSUP = 95;
  public static final int E2BIG = 7;
  public static final int EINTR = 4;

  private static final int RENAME_NOREPLACE = 1;
  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final byte[] EMPTY = {0};

  private static final LibC C;
  private static final Runtime RT;

  static {
    String arch = System.getProperty("os.arch");
    if (!System.getProperty("os.name").startsWith("Linux")) {
      throw new ExceptionInInitializerError("rootfs-builder needs Linux");
    }
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      O_DIRECTORY = 0200000;
      O_NOFOLLOW = 0400000;
    } else if (arch.equals("aarch64") || arch.equals("arm64")) {
      O_DIRECTORY = 040000;
      O_NOFOLLOW = 0100000;
    } else {
      throw new ExceptionInInitializerError("rootfs-builder supports x86_64 and aarch64, not " + arch);
    }
    C = LibraryLoader.create(LibC.class).load("c");
    RT = Runtime.getRuntime(C);
  }

  private Posix() {}

  /** A NUL-terminated copy of {@code name} for the kernel. Refuses embedded NULs. */
  public static byte[] cstr(byte[] name) {
    byte[] c = new byte[name.length + 1];
    for (int i = 0; i < name.length; i++) {
      if (name[i] == 0) {
        throw new IllegalArgumentException("name contains a NUL byte");
      }
      c[i] = name[i];
    }
    return c;
  }

  /** The bytes of a caller-supplied path (not of a tar name): it was representable when created. */
  public static byte[] bytes(Path p) {
    String jnu = System.getProperty("sun.jnu.encoding");
    Charset cs = jnu == null ? Charset.defaultCharset() : Charset.forName(jnu);
    return p.toString().getBytes(cs);
  }

  private static int errno() {
    return LastError.getLastError(RT);
  }

  private static PosixException fail(String call, byte[] name) {
    return new PosixException(call, errno(), name == null ? null : printable(name));
  }

  /** A name for messages: printable ASCII kept, everything else as \xNN. */
  public static String printable(byte[] name) {
    StringBuilder sb = new StringBuilder(name.length);
    for (byte b : name) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }

  public static int openat(int dirfd, byte[] name, int flags, int mode) throws PosixException {
    int fd = C.openat(dirfd, cstr(name), flags | O_CLOEXEC, mode);
    if (fd < 0) {
      throw fail("openat", name);
    }
    return fd;
  }

  /** Opens a caller-supplied absolute or relative path (work dirs, never tar names). */
  public static int open(Path p, int flags) throws PosixException {
    return openat(AT_FDCWD, bytes(p), flags, 0);
  }

  public static void close(int fd) {
    if (fd >= 0) {
      C.close(fd);
    }
  }

  public static void mkdirat(int dirfd, byte[] name, int mode) throws PosixException {
    if (C.mkdirat(dirfd, cstr(name), mode) != 0) {
      throw fail("mkdirat", name);
    }
  }

  public static void mkfifoat(int dirfd, byte[] name, int mode) throws PosixException {
    if (C.mkfifoat(dirfd, cstr(name), mode) != 0) {
      throw fail("mkfifoat", name);
    }
  }

  public static void symlinkat(byte[] target, int dirfd, byte[] name) throws PosixException {
    if (C.symlinkat(cstr(target), dirfd, cstr(name)) != 0) {
      throw fail("symlinkat", name);
    }
  }

  /** link(2) semantics: never AT_SYMLINK_FOLLOW, so a link to a symlink links the symlink inode. */
  public static void linkat(int olddirfd, byte[] oldname, int newdirfd, byte[] newname)
      throws PosixException {
    if (C.linkat(olddirfd, cstr(oldname), newdirfd, cstr(newname), 0) != 0) {
      throw fail("linkat", newname);
    }
  }

  public static void unlinkat(int dirfd, byte[] name, int flags) throws PosixException {
    if (C.unlinkat(dirfd, cstr(name), flags) != 0) {
      throw fail("unlinkat", name);
    }
  }

  /** rename that fails with EEXIST instead of replacing the target. */
  public static void renameNoReplace(int olddirfd, byte[] oldname, int newdirfd, byte[] newname)
      throws PosixException {
    if (C.renameat2(olddirfd, cstr(oldname), newdirfd, cstr(newname), RENAME_NOREPLACE) != 0) {
      throw fail("renameat2", newname);
    }
  }

  public static void fchmod(int fd, int mode) throws PosixException {
    if (C.fchmod(fd, mode) != 0) {
      throw fail("fchmod", null);
    }
  }

  /**
   * chmod of {@code name} in {@code dirfd} that never follows a symlink: glibc 2.32+ implements
   * AT_SYMLINK_NOFOLLOW (fchmodat2 or O_PATH + /proc); older ones say ENOTSUP, and then the type is
   * checked first (the tree is private to this process, so nothing swaps it in between).
   */
  public static void chmodNoFollow(int dirfd, byte[] name, int mode) throws PosixException {
    byte[] c = cstr(name);
    if (C.fchmodat(dirfd, c, mode, AT_SYMLINK_NOFOLLOW) == 0) {
      return;
    }
    int e = errno();
    if (e != ENOTSUP && e != ENOSYS && e != EINVAL) {
      throw new PosixException("fchmodat", e, printable(name));
    }
    Stat st = statx(dirfd, name);
    if (st.isSymlink()) {
      throw new PosixException("fchmodat", ELOOP, printable(name));
    }
    if (C.fchmodat(dirfd, c, mode, 0) != 0) {
      throw fail("fchmodat", name);
    }
  }

  private static long[] times(long sec, int nsec) {
    // atime = mtime: tar keeps no separate atime we trust, and it must be deterministic.
    return new long[] {sec, nsec, sec, nsec};
  }

  /** Sets atime and mtime of {@code name} itself (a symlink is not followed). */
  public static void utimesNoFollow(int dirfd, byte[] name, long sec, int nsec)
      throws PosixException {
    if (C.utimensat(dirfd, cstr(name), times(sec, nsec), AT_SYMLINK_NOFOLLOW) != 0) {
      throw fail("utimensat", name);
    }
  }

  public static void futimens(int fd, long sec, int nsec) throws PosixException {
    if (C.futimens(fd, times(sec, nsec)) != 0) {
      throw fail("futimens", null);
    }
  }

  /** lstat of {@code name} in {@code dirfd}. */
  public static Stat statx(int dirfd, byte[] name) throws PosixException {
    byte[] buf = new byte[256];
    if (C.statx(dirfd, cstr(name), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf) != 0) {
      throw fail("statx", name);
    }
    return new Stat(buf);
  }

  /** lstat, or null when the name does not exist. */
  public static Stat statxOrNull(int dirfd, byte[] name) throws PosixException {
    byte[] buf = new byte[256];
    if (C.statx(dirfd, cstr(name), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf) != 0) {
      int e = errno();
      if (e == ENOENT) {
        return null;
      }
      throw new PosixException("statx", e, printable(name));
    }
    return new Stat(buf);
  }

  /** fstat of an open descriptor (O_PATH descriptors included). */
  public static Stat fstat(int fd) throws PosixException {
    byte[] buf = new byte[256];
    if (C.statx(fd, EMPTY, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf) != 0) {
      throw fail("statx", null);
    }
    return new Stat(buf);
  }

  /** The target of symlink {@code name}, byte for byte. */
  public static byte[] readlinkat(int dirfd, byte[] name) throws PosixException {
    byte[] c = cstr(name);
    int size = 256;
    while (true) {
      byte[] buf = new byte[size];
      long n = C.readlinkat(dirfd, c, buf, size);
      if (n < 0) {
        throw fail("readlinkat", name);
      }
      if (n < size) {
        byte[] out = new byte[(int) n];
        System.arraycopy(buf, 0, out, 0, (int) n);
        return out;
      }
      size *= 4;
      if (size > 1 << 20) {
        throw new PosixException("readlinkat", ENAMETOOLONG, printable(name));
      }
    }
  }

  public static void fsetxattr(int fd, byte[] name, byte[] value) throws PosixException {
    if (C.fsetxattr(fd, cstr(name), value, value.length, 0) != 0) {
      throw fail("fsetxattr", name);
    }
  }

  /**
   * Writes all of buf[0..len) at the current offset, or at {@code offset} when it is not negative
   * (sparse files). Goes through a per-thread direct buffer: jnr-ffi would copy the whole heap
   * array on every call, not just {@code len} bytes.
   */
  public static void writeFully(int fd, byte[] buf, int len, long offset) throws PosixException {
    ByteBuffer direct = DIRECT.get();
    int done = 0;
    while (done < len) {
      int chunk = Math.min(len - done, direct.capacity());
      direct.clear();
      direct.put(buf, done, chunk);
      int off = 0;
      while (off < chunk) {
        direct.position(off);
        ByteBuffer slice = direct.slice(off, chunk - off);
        long n = offset < 0 ? C.write(fd, slice, chunk - off) : C.pwrite(fd, slice, chunk - off, offset + done + off);
        if (n < 0) {
          if (errno() == EINTR) {
            continue;
          }
          throw fail(offset < 0 ? "write" : "pwrite", null);
        }
        off += (int) n;
      }
      done += chunk;
    }
  }

  private static final ThreadLocal<ByteBuffer> DIRECT =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(256 * 1024));

  /** read(2): bytes read, 0 at end of file. */
  public static int read(int fd, byte[] buf, int len) throws PosixException {
    while (true) {
      long n = C.read(fd, buf, len);
      if (n >= 0) {
        return (int) n;
      }
      if (errno() != EINTR) {
        throw fail("read", null);
      }
    }
  }

  public static void ftruncate(int fd, long length) throws PosixException {
    if (C.ftruncate(fd, length) != 0) {
      throw fail("ftruncate", null);
    }
  }

  public static void rewind(int fd) throws PosixException {
    if (C.lseek(fd, 0, 0) < 0) {
      throw fail("lseek", null);
    }
  }

  /** getdents64(2) into buf: bytes filled, 0 at the end of the directory. */
  public static int getdents(int fd, byte[] buf) throws PosixException {
    long n = C.getdents64(fd, buf, buf.length);
    if (n < 0) {
      throw fail("getdents64", null);
    }
    return (int) n;
  }

  public static void fsync(int fd) throws PosixException {
    if (C.fsync(fd) != 0) {
      throw fail("fsync", null);
    }
  }
}
