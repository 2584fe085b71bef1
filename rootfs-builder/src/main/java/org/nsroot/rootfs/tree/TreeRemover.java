package org.nsroot.rootfs.tree;

import org.nsroot.rootfs.posix.DirReader;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.posix.PosixException;
import org.nsroot.rootfs.posix.Stat;

/**
 * Deletes a name and, if it is a directory, everything below it: iteratively (no recursion, any
 * depth), descriptor-relative, never following a symlink (a symlink is unlinked, its target is not
 * touched), and giving each directory u+rwx before emptying it so that mode-000 and read-only
 * directories of an image can be removed by their unprivileged owner (A17, C4).
 */
public final class TreeRemover {
  private static final int DIR_FLAGS = Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NOFOLLOW;

  private final DirReader reader = new DirReader(-1);

  /**
   * Removes {@code name} in {@code parentFd}; nothing when it does not exist. The parent must be
   * writable; the caller handles EACCES on it.
   */
  public void remove(int parentFd, byte[] name) throws PosixException {
    Stat st = Posix.statxOrNull(parentFd, name);
    if (st == null) {
      return;
    }
    if (!st.isDir()) {
      Posix.unlinkat(parentFd, name, 0);
      return;
    }
    removeTree(parentFd, name);
  }

  private void removeTree(int parentFd, byte[] name) throws PosixException {
    DirStack stack = new DirStack(parentFd, DIR_FLAGS);
    try {
      stack.push(name, openWritable(parentFd, name));
      while (stack.depth() > 0) {
        int fd = stack.top();
        reader.reset(fd);
        reader.rewind();
        boolean descended = false;
        while (reader.next()) {
          byte[] child = reader.name();
          int type = reader.type();
          if (type == DirReader.DT_UNKNOWN) {
            Stat cs = Posix.statxOrNull(fd, child);
            if (cs == null) {
              continue;
            }
            type = cs.isDir() ? DirReader.DT_DIR : -1;
          }
          if (type == DirReader.DT_DIR) {
            stack.push(child, openWritable(fd, child));
            descended = true;
            break;
          }
          Posix.unlinkat(fd, child, 0);
        }
        if (!descended) {
          byte[] done = stack.name(stack.depth());
          stack.pop();
          Posix.unlinkat(stack.top(), done, Posix.AT_REMOVEDIR);
        }
      }
    } finally {
      stack.close();
    }
  }

  /** Opens a directory for listing, first giving it u+rwx if needed (its contents must go). */
  private static int openWritable(int parentFd, byte[] name) throws PosixException {
    int fd;
    try {
      fd = Posix.openat(parentFd, name, DIR_FLAGS, 0);
    } catch (PosixException e) {
      if (e.errno() != Posix.EACCES) {
        throw e;
      }
      Posix.chmodNoFollow(parentFd, name, 0700);
      fd = Posix.openat(parentFd, name, DIR_FLAGS, 0);
    }
    Stat st = Posix.fstat(fd);
    if ((st.perm() & 0700) != 0700) {
      Posix.fchmod(fd, st.perm() | 0700);
    }
    return fd;
  }
}
