package org.nsroot.rootfs.posix;

import java.nio.ByteBuffer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * The few libc calls the builder needs, declared with {@code byte[]} NUL-terminated paths so that
 * names reach the kernel byte for byte whatever {@code sun.jnu.encoding} is. Internal: use {@link
 * Posix}, which checks errno and throws.
 */
public interface LibC {
  @SaveError
  int openat(int dirfd, @In byte[] path, int flags, int mode);

  @SaveError
  int close(int fd);

  @SaveError
  int mkdirat(int dirfd, @In byte[] path, int mode);

  @SaveError
  int mkfifoat(int dirfd, @In byte[] path, int mode);

  @SaveError
  int symlinkat(@In byte[] target, int newdirfd, @In byte[] linkpath);

  @SaveError
  int linkat(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

  @SaveError
  int unlinkat(int dirfd, @In byte[] path, int flags);

  @SaveError
  int renameat2(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

  @SaveError
  int fchmod(int fd, int mode);

  @SaveError
  int fchmodat(int dirfd, @In byte[] path, int mode, int flags);

  @SaveError
  int utimensat(int dirfd, @In byte[] path, @In long[] times, int flags);

  @SaveError
  int futimens(int fd, @In long[] times);

  @SaveError
  int statx(int dirfd, @In byte[] path, int flags, int mask, @Out byte[] buf);

  @SaveError
  long readlinkat(int dirfd, @In byte[] path, @Out byte[] buf, long size);

  @SaveError
  int fsetxattr(int fd, @In byte[] name, @In byte[] value, long size, int flags);

  @SaveError
  long write(int fd, @In ByteBuffer buf, long count);

  @SaveError
  long pwrite(int fd, @In ByteBuffer buf, long count, long offset);

  @SaveError
  long read(int fd, @Out byte[] buf, long count);

  @SaveError
  int ftruncate(int fd, long length);

  @SaveError
  long lseek(int fd, long offset, int whence);

  @SaveError
  long getdents64(int fd, @Out byte[] buf, long count);

  @SaveError
  int fsync(int fd);
}
