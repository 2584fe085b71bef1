package org.nsroot.rootfs.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.posix.PosixException;
import org.nsroot.rootfs.posix.Stat;

/**
 * Resolves the directory part of an entry name inside the rootfs, one component at a time with
 * openat(O_PATH|O_DIRECTORY|O_NOFOLLOW) from the rootfs descriptor, so no path is ever resolved by
 * the kernel from the host's root and no symlink is followed by the kernel.
 *
 * <p>Symlinks met on the way are read and expanded here, against the current state of the tree
 * (A5, A15, C1: a lower layer is attacker-controlled too):
 *
 * <ul>
 *   <li>an absolute target restarts from the rootfs (CONFINE, A7: {@code var/run -> /run});
 *   <li>{@code ..} from an absolute target stops at the rootfs, like {@code /..} does on a host;
 *   <li>{@code ..} from a relative target that would climb above the rootfs is an escape (A8):
 *       later in-root resolution must not "rescue" it;
 *   <li>more than 40 symlinks is an error (ELOOP), never a silent stop (A21).
 * </ul>
 *
 * <p>Missing directories are created (mode 0755) when asked. A non-directory on the way is
 * reported as {@link Status#NOT_DIR}.
 *
 * <p>Speed: the physical chain of the last resolved directory is kept (a cursor), so consecutive
 * entries in one directory cost no lookup at all and a sibling directory costs one openat. The
 * cursor is only trusted while nothing was removed or replaced: {@link #invalidate()} is called by
 * every operation that removes a directory or symlink (A15: a cached "this is a directory" must
 * not survive an entry that could have changed it). It also only maps lexical prefixes without
 * symlinks to physical levels.
 */
public final class Resolver {
  /** Outcome of {@link #resolve}. */
  public enum Status {
    OK,
    MISSING,
    NOT_DIR
  }

  /** A path that leaves the rootfs or cannot be resolved safely. */
  public static final class EscapeException extends Exception {
    public EscapeException(String message) {
      super(message);
    }
  }

  /** Told when a directory of a lower layer had to be opened up (u+rwx) to be written into. */
  public interface AccessListener {
    void madeAccessible(DirStack stack, int level, int originalMode);
  }

  private static final int MAX_LINKS = 40;
  private static final byte[] DOTDOT = {'.', '.'};
  private static final int DIR_FLAGS = Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW;

  private final DirStack stack;
  private final List<byte[]> key = new ArrayList<>();
  private final AccessListener accessListener;
  /** Key components [0, pure) map one to one onto stack levels [1, pure]. */
  private int pure;
  /** The lowest stack depth the current {@link #walk} reached. */
  private int lowest;
  private boolean valid;

  public Resolver(int rootFd, AccessListener accessListener) {
    this.stack = new DirStack(rootFd, DIR_FLAGS);
    this.accessListener = accessListener;
  }

  /** The physical chain of the directory found by the last successful {@link #resolve}. */
  public DirStack stack() {
    return stack;
  }

  /** Forgets the cursor: the tree changed in a way that may affect cached directories. */
  public void invalidate() {
    valid = false;
  }

  public void close() {
    stack.close();
    key.clear();
    valid = false;
  }

  private static final class Pending {
    final byte[] name;
    final boolean relative;

    Pending(byte[] name, boolean relative) {
      this.name = name;
      this.relative = relative;
    }
  }

  /**
   * Resolves the first {@code count} components of {@code comps} to a directory; on OK, {@link
   * #stack()}'s top is it.
   */
  public Status resolve(List<byte[]> comps, int count, boolean create)
      throws PosixException, EscapeException {
    if (!valid) {
      stack.truncate(0);
      key.clear();
      pure = 0;
      valid = true;
    }
    int common = 0;
    int max = Math.min(key.size(), count);
    while (common < max && Arrays.equals(key.get(common), comps.get(common))) {
      common++;
    }
    if (common < key.size()) {
      int t = Math.min(common, pure);
      stack.truncate(t);
      while (key.size() > t) {
        key.remove(key.size() - 1);
      }
      pure = t;
    }
    boolean ok = false;
    try {
      for (int i = key.size(); i < count; i++) {
        boolean wasPure = pure == key.size();
        lowest = stack.depth();
        int links = walk(comps.get(i), create);
        if (links < 0) {
          return links == -1 ? Status.MISSING : Status.NOT_DIR;
        }
        key.add(comps.get(i));
        // A symlink may have replaced physical levels below the pure prefix (var/run -> /run
        // truncates to the root): those levels no longer belong to the key's components.
        pure = Math.min(pure, lowest);
        if (wasPure && links == 0 && stack.depth() == key.size()) {
          pure = key.size();
        }
      }
      ok = true;
      return Status.OK;
    } finally {
      if (!ok) {
        valid = false;
      }
    }
  }

  /** Walks one lexical component; returns symlinks followed, -1 missing, -2 not a directory. */
  private int walk(byte[] component, boolean create) throws PosixException, EscapeException {
    ArrayDeque<Pending> pending = new ArrayDeque<>(4);
    pending.add(new Pending(component, false));
    int links = 0;
    while (!pending.isEmpty()) {
      Pending c = pending.pollFirst();
      byte[] n = c.name;
      if (n.length == 0 || (n.length == 1 && n[0] == '.')) {
        continue;
      }
      if (Arrays.equals(n, DOTDOT)) {
        if (stack.depth() == 0) {
          if (c.relative) {
            throw new EscapeException("path escapes the rootfs through a relative symlink that climbs above the root");
          }
          continue; // "/.." is "/"
        }
        stack.pop();
        lowest = Math.min(lowest, stack.depth());
        continue;
      }
      int fd = tryOpen(n);
      if (fd >= 0) {
        stack.push(n, fd);
        continue;
      }
      int err = -fd;
      if (err == Posix.ENOENT) {
        if (!create) {
          return -1;
        }
        mkdir(n);
        stack.push(n, Posix.openat(stack.top(), n, DIR_FLAGS, 0));
        continue;
      }
      if (err != Posix.ENOTDIR && err != Posix.ELOOP) {
        throw new PosixException("openat", err, Posix.printable(n));
      }
      Stat st = Posix.statx(stack.top(), n);
      if (!st.isSymlink()) {
        return -2;
      }
      if (++links > MAX_LINKS) {
        throw new EscapeException("too many levels of symbolic links");
      }
      byte[] target = Posix.readlinkat(stack.top(), n);
      boolean absolute = target.length > 0 && target[0] == '/';
      if (absolute) {
        stack.truncate(0);
        lowest = 0;
      }
      List<byte[]> parts = split(target);
      for (int i = parts.size() - 1; i >= 0; i--) {
        pending.addFirst(new Pending(parts.get(i), !absolute));
      }
    }
    return links;
  }

  private int tryOpen(byte[] n) throws PosixException {
    for (int attempt = 0; ; attempt++) {
      try {
        return Posix.openat(stack.top(), n, DIR_FLAGS, 0);
      } catch (PosixException e) {
        if (e.errno() == Posix.EACCES && attempt == 0 && makeAccessible(stack.depth())) {
          continue;
        }
        if (e.errno() == Posix.ENOENT || e.errno() == Posix.ENOTDIR || e.errno() == Posix.ELOOP) {
          return -e.errno();
        }
        throw e;
      }
    }
  }

  private void mkdir(byte[] n) throws PosixException {
    for (int attempt = 0; ; attempt++) {
      try {
        Posix.mkdirat(stack.top(), n, 0700);
        // Implied directories get the usual 0755 whatever the umask (tar does the same).
        Posix.chmodNoFollow(stack.top(), n, 0755);
        return;
      } catch (PosixException e) {
        if (e.errno() == Posix.EACCES && attempt == 0 && makeAccessible(stack.depth())) {
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * Gives the owner rwx on the directory at {@code level} of the current chain (an unprivileged
   * user cannot write into a 0555 directory of a lower layer); the listener records the original
   * mode so that it is restored at the end of the layer. False when nothing could be changed.
   */
  public boolean makeAccessible(int level) throws PosixException {
    if (level == 0) {
      return false; // the rootfs itself always keeps u+rwx
    }
    Stat st = Posix.fstat(stack.fd(level));
    int mode = st.perm();
    if ((mode & 0700) == 0700) {
      return false;
    }
    Posix.chmodNoFollow(stack.fd(level - 1), stack.name(level), mode | 0700);
    if (!Posix.fstat(stack.fd(level)).isDir() || (Posix.fstat(stack.fd(level)).perm() & 0700) != 0700) {
      throw new PosixException("fchmodat", Posix.EACCES, Posix.printable(stack.name(level)));
    }
    accessListener.madeAccessible(stack, level, mode);
    return true;
  }

  /** Splits a symlink target at slashes; empty components dropped. */
  static List<byte[]> split(byte[] target) {
    List<byte[]> parts = new ArrayList<>(4);
    int start = 0;
    for (int i = 0; i <= target.length; i++) {
      if (i == target.length || target[i] == '/') {
        if (i > start) {
          parts.add(Arrays.copyOfRange(target, start, i));
        }
        start = i + 1;
      }
    }
    return parts;
  }
}
