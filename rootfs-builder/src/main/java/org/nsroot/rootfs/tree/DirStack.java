package org.nsroot.rootfs.tree;

import java.util.Arrays;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.posix.PosixException;

/**
 * A physical path below a base directory, as the chain of directory descriptors that reached it.
 * Level 0 is the base (not owned); level i is the i-th directory below it. Only the deepest
 * {@link #WINDOW} levels keep an open descriptor, so a 10,000-deep tree does not need 10,000 file
 * descriptors; a closed level is re-opened from its nearest open ancestor by name, never following
 * a symlink. Each level can carry a tag (the journal's node for that directory).
 */
public final class DirStack {
  static final int WINDOW = 48;

  private final int baseFd;
  private final int openFlags;
  private byte[][] names = new byte[16][];
  private int[] fds = new int[16];
  private Object[] tags = new Object[16];
  private int depth;

  /** @param openFlags flags for re-opening levels: O_PATH or O_RDONLY, with O_DIRECTORY|O_NOFOLLOW */
  public DirStack(int baseFd, int openFlags) {
    this.baseFd = baseFd;
    this.openFlags = openFlags;
  }

  public int depth() {
    return depth;
  }

  /** Name of level {@code level} (1..depth) in its parent. */
  public byte[] name(int level) {
    return names[level - 1];
  }

  public Object tag(int level) {
    return level == 0 ? baseTag : tags[level - 1];
  }

  private Object baseTag;

  public void setTag(int level, Object tag) {
    if (level == 0) {
      baseTag = tag;
    } else {
      tags[level - 1] = tag;
    }
  }

  /** Descriptor of the deepest level. */
  public int top() throws PosixException {
    return fd(depth);
  }

  /** Descriptor of {@code level}, re-opened by name when it was closed to save descriptors. */
  public int fd(int level) throws PosixException {
    if (level == 0) {
      return baseFd;
    }
    if (fds[level - 1] >= 0) {
      return fds[level - 1];
    }
    int from = level - 1;
    while (from > 0 && fds[from - 1] < 0) {
      from--;
    }
    for (int l = from + 1; l <= level; l++) {
      fds[l - 1] = Posix.openat(fd(l - 1), names[l - 1], openFlags, 0);
    }
    return fds[level - 1];
  }

  /** Adds a level; takes ownership of {@code fd}. */
  public void push(byte[] name, int fd) {
    if (depth == names.length) {
      names = Arrays.copyOf(names, depth * 2);
      fds = Arrays.copyOf(fds, depth * 2);
      tags = Arrays.copyOf(tags, depth * 2);
    }
    names[depth] = name;
    fds[depth] = fd;
    tags[depth] = null;
    depth++;
    int evict = depth - WINDOW - 1;
    if (evict >= 0 && fds[evict] >= 0) {
      Posix.close(fds[evict]);
      fds[evict] = -1;
    }
  }

  /** Drops the deepest level. */
  public void pop() {
    depth--;
    Posix.close(fds[depth]);
    fds[depth] = -1;
    names[depth] = null;
    tags[depth] = null;
  }

  /** Drops levels until {@code level} is the deepest. */
  public void truncate(int level) {
    while (depth > level) {
      pop();
    }
  }

  /** Closes every owned descriptor. */
  public void close() {
    truncate(0);
  }
}
