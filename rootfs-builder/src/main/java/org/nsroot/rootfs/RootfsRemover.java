package org.nsroot.rootfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.posix.PosixException;
import org.nsroot.rootfs.tree.TreeRemover;

/**
 * Deletes a rootfs (or any tree) whatever its modes: mode-000 and read-only directories are opened
 * up by their owner first. Never follows a symlink (a symlink in the tree, or {@code path} itself
 * when it is one, is unlinked, and what it points to is untouched). Iterative, descriptor-relative
 * and with names as raw bytes, so depth and non-UTF-8 names do not matter.
 */
public final class RootfsRemover {
  /** Prefix of the directories {@link RootfsBuilder} builds in. */
  static final String BUILD_PREFIX = ".nsroot-build-";

  private RootfsRemover() {}

  /** Removes {@code path} and everything below it; nothing when it does not exist. */
  public static void remove(Path path) throws RootfsException {
    Path abs = path.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null || abs.getFileName() == null) {
      throw new IllegalArgumentException("refusing to remove " + path);
    }
    int parentFd;
    try {
      parentFd = Posix.open(parent, Posix.O_PATH | Posix.O_DIRECTORY);
    } catch (PosixException e) {
      if (e.errno() == Posix.ENOENT) {
        return;
      }
      throw new RootfsException("cannot remove " + path + ": " + e.getMessage(), e);
    }
    try {
      new TreeRemover().remove(parentFd, Posix.bytes(abs.getFileName()));
    } catch (PosixException e) {
      throw new RootfsException("cannot remove " + path + ": " + e.getMessage(), e);
    } finally {
      Posix.close(parentFd);
    }
  }

  /**
   * Removes build directories left in {@code workDir} by builds whose process is gone (a build
   * killed with SIGKILL cannot clean up after itself; catalogue H3). Returns how many.
   */
  public static int removeStaleBuilds(Path workDir) throws RootfsException {
    int removed = 0;
    if (!Files.isDirectory(workDir)) {
      return 0;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(workDir, BUILD_PREFIX + "*")) {
      for (Path p : ds) {
        String n = p.getFileName().toString().substring(BUILD_PREFIX.length());
        int dash = n.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(dash < 0 ? n : n.substring(0, dash));
        } catch (NumberFormatException e) {
          continue;
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        remove(p);
        removed++;
      }
    } catch (IOException e) {
      throw new RootfsException("cannot list " + workDir + ": " + e.getMessage(), e);
    }
    return removed;
  }
}
