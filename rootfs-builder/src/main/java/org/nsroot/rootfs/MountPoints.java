package org.nsroot.rootfs;

import java.nio.charset.StandardCharsets;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.posix.PosixException;
import org.nsroot.rootfs.posix.Stat;
import org.nsroot.rootfs.tree.TreeRemover;

/**
 * What the runtime needs in every rootfs: the old-root directory for pivot_root, the mount points
 * {@code /proc /dev /sys /tmp}, and {@code /etc/hosts} and {@code /etc/resolv.conf} to bind over
 * (busybox images lack them). Never follows a symlink: a mount point that the image made a
 * symlink or file is replaced by an empty directory with a warning (mounting over a symlink would
 * redirect the mount, catalogue F8); {@code /etc/*} files are created only where no object of any
 * type exists, and not at all when {@code /etc} is not a real directory.
 */
final class MountPoints {
  private MountPoints() {}

  static void prepare(int rootFd, BuildListener listener) throws PosixException {
    TreeRemover remover = new TreeRemover();
    dir(rootFd, ".old_root", 0755, remover, listener);
    dir(rootFd, "proc", 0555, remover, listener);
    dir(rootFd, "dev", 0755, remover, listener);
    dir(rootFd, "sys", 0555, remover, listener);
    dir(rootFd, "tmp", 01777, remover, listener);
    byte[] etc = bytes("etc");
    Stat st = Posix.statxOrNull(rootFd, etc);
    if (st == null) {
      Posix.mkdirat(rootFd, etc, 0700);
      Posix.chmodNoFollow(rootFd, etc, 0755);
      st = Posix.statx(rootFd, etc);
    }
    if (!st.isDir()) {
      listener.warning("/etc is not a directory; /etc/hosts and /etc/resolv.conf not created");
      return;
    }
    // Looking names up in /etc needs u+x and creating them u+w: an image's /etc may have neither.
    int original = st.perm();
    boolean opened = (original & 0300) != 0300;
    if (opened) {
      Posix.chmodNoFollow(rootFd, etc, original | 0700);
    }
    int etcFd = -1;
    try {
      etcFd = Posix.openat(rootFd, etc, Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW, 0);
      for (String f : new String[] {"hosts", "resolv.conf"}) {
        createIfAbsent(etcFd, bytes(f));
      }
    } finally {
      Posix.close(etcFd);
      if (opened) {
        Posix.chmodNoFollow(rootFd, etc, original);
      }
    }
  }

  private static void createIfAbsent(int etcFd, byte[] n) throws PosixException {
    if (Posix.statxOrNull(etcFd, n) != null) {
      return; // exists as something: a file, or a symlink we must not write through
    }
    int fd = Posix.openat(etcFd, n, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_NOFOLLOW, 0644);
    try {
      Posix.fchmod(fd, 0644);
    } finally {
      Posix.close(fd);
    }
  }

  private static void dir(int rootFd, String name, int mode, TreeRemover remover, BuildListener listener)
      throws PosixException {
    byte[] n = bytes(name);
    Stat st = Posix.statxOrNull(rootFd, n);
    if (st != null && st.isDir()) {
      return;
    }
    if (st != null) {
      listener.warning("/" + name + " was not a directory in the image; replaced by an empty directory");
      remover.remove(rootFd, n);
    }
    Posix.mkdirat(rootFd, n, 0700);
    Posix.chmodNoFollow(rootFd, n, mode);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
