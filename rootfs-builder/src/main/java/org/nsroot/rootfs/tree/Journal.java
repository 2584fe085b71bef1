package org.nsroot.rootfs.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.nsroot.rootfs.posix.DirReader;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.posix.PosixException;
import org.nsroot.rootfs.posix.Stat;

/**
 * What the current layer did, by physical path: which names it created (whiteouts and opaque
 * markers hide only lower layers, whatever their position in the stream: C4), the final mode and
 * mtime of its directories, and the original modes of lower directories that had to be opened up
 * for writing. Directory metadata is applied at the end of the layer, children first, because
 * creating a child changes a directory's mtime and a 0555 directory cannot take children.
 *
 * <p>Memory is one small node per name the layer touched, never per byte.
 */
public final class Journal {
  /**
   * A name this layer wrote, or a lower directory it only had to open up to reach another name
   * (kept for its mode to be put back; not "written": a whiteout of it still hides it).
   */
  public static final class Node {
    final byte[] name;
    final Node parent;
    Map<Key, Node> children;
    /** Created by this layer, merged into by one of its entries, or the parent of one. */
    boolean written;
    boolean created;
    boolean hasMeta;
    int mode;
    long mtimeSec;
    int mtimeNsec;
    int restoreMode = -1;

    Node(byte[] name, Node parent) {
      this.name = name;
      this.parent = parent;
    }

    Node child(byte[] n, boolean make) {
      Key k = new Key(n);
      Node c = children == null ? null : children.get(k);
      if (c == null && make) {
        if (children == null) {
          children = new HashMap<>(4);
        }
        c = new Node(n, this);
        children.put(k, c);
      }
      return c;
    }
  }

  private record Key(byte[] b) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(b, k.b);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(b);
    }
  }

  private Node root = new Node(new byte[0], null);

  /** Starts a new layer. */
  public void clear() {
    root = new Node(new byte[0], null);
  }

  public Node root() {
    return root;
  }

  /** The node of the directory at {@code level} of {@code stack}, cached in the stack's tags. */
  public Node nodeOf(DirStack stack, int level) {
    // Iterative: directories can be 10,000 deep (A20).
    int from = level;
    Node n = null;
    while (from >= 0) {
      Object t = stack.tag(from);
      if (t instanceof Node c && (from > 0 || c == root)) {
        n = c;
        break;
      }
      from--;
    }
    if (n == null) {
      n = root;
      stack.setTag(0, root);
      from = 0;
    }
    for (int l = from + 1; l <= level; l++) {
      n = n.child(stack.name(l), true);
      stack.setTag(l, n);
    }
    return n;
  }

  /**
   * The node of the directory at {@code level}, recorded with its parents as written by this
   * layer: an entry of the layer goes into it.
   */
  public Node writtenInto(DirStack stack, int level) {
    Node n = nodeOf(stack, level);
    for (Node x = n; x != null && !x.written; x = x.parent) {
      x.written = true;
    }
    return n;
  }

  /** Records that {@code name} in {@code parent} is a new object of this layer (replacing any). */
  public Node created(Node parent, byte[] name) {
    Node c = parent.child(name, true);
    c.children = null;
    c.hasMeta = false;
    c.restoreMode = -1;
    c.created = true;
    c.written = true;
    return c;
  }

  /** Records a directory entry that merged into an existing directory. */
  public Node touched(Node parent, byte[] name) {
    Node c = parent.child(name, true);
    c.written = true;
    return c;
  }

  /** Final metadata of a directory entry, applied by {@link #applyDirectoryMetadata}. */
  public void directoryMetadata(Node dir, int mode, long sec, int nsec) {
    dir.hasMeta = true;
    dir.mode = mode;
    dir.mtimeSec = sec;
    dir.mtimeNsec = nsec;
  }

  /** Remembers the mode a lower directory had before it was opened up for writing. */
  public void opened(Node dir, int originalMode) {
    if (dir.restoreMode < 0) {
      dir.restoreMode = originalMode;
    }
  }

  /** True when this layer wrote {@code name} in {@code parent} (it is then not "lower"). */
  public boolean writtenByLayer(Node parent, byte[] name) {
    Node c = parent.child(name, false);
    return c != null && c.written;
  }

  /**
   * Opaque directory: removes every child that this layer did not write, and recursively the
   * unwritten content of directories it only merged into. Objects this layer created are kept.
   */
  public int hideLower(Node dir, int dirFd, TreeRemover remover, DirReader reader)
      throws PosixException {
    int removed = 0;
    ArrayDeque<Node> work = new ArrayDeque<>();
    ArrayDeque<Integer> fds = new ArrayDeque<>();
    work.add(dir);
    fds.add(Posix.openat(dirFd, new byte[] {'.'}, Posix.O_RDONLY | Posix.O_DIRECTORY, 0));
    try {
      while (!work.isEmpty()) {
        Node n = work.poll();
        int fd = fds.poll();
        try {
          removed += hideLowerIn(n, fd, work, fds, remover, reader);
        } finally {
          Posix.close(fd);
        }
      }
    } finally {
      fds.forEach(Posix::close); // directories queued when something failed
    }
    return removed;
  }

  /** Removes what this layer did not write from one directory; queues the subdirectories it did. */
  private int hideLowerIn(Node n, int fd, ArrayDeque<Node> work, ArrayDeque<Integer> fds, TreeRemover remover,
      DirReader reader) throws PosixException {
    Stat st = Posix.fstat(fd);
    if ((st.perm() & 0700) != 0700) {
      opened(n, st.perm());
      Posix.fchmod(fd, st.perm() | 0700);
    }
    reader.reset(fd);
    reader.rewind();
    List<byte[]> doomed = new ArrayList<>();
    while (reader.next()) {
      byte[] name = reader.name();
      Node c = n.child(name, false);
      if (c == null || !c.written) {
        doomed.add(name);
      } else if (!c.created) {
        int sub = openWritableSubdir(c, fd, name);
        if (sub >= 0) {
          fds.add(sub);
          work.add(c);
        }
      }
    }
    for (byte[] name : doomed) {
      remover.remove(fd, name);
    }
    return doomed.size();
  }

  /** Opens a lower subdirectory (u+rwx, recorded); -1 when the name is not a directory. */
  private int openWritableSubdir(Node c, int fd, byte[] name) throws PosixException {
    try {
      Stat cs = Posix.statx(fd, name);
      if (cs.isDir() && (cs.perm() & 0700) != 0700) {
        opened(c, cs.perm());
        Posix.chmodNoFollow(fd, name, cs.perm() | 0700);
      }
      return Posix.openat(fd, name, Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NOFOLLOW, 0);
    } catch (PosixException e) {
      if (e.errno() != Posix.ENOTDIR && e.errno() != Posix.ELOOP && e.errno() != Posix.ENOENT) {
        throw e;
      }
      return -1;
    }
  }

  /**
   * Applies final directory modes and mtimes, children before parents, re-resolving every path
   * with O_NOFOLLOW: a directory that a later entry replaced by a symlink or a file is skipped, so
   * metadata never lands on a symlink's target (A13). The root keeps u+rwx (A9).
   */
  public void applyDirectoryMetadata(int rootFd) throws PosixException {
    DirStack stack = new DirStack(rootFd, Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW);
    ArrayDeque<Iterator<Node>> its = new ArrayDeque<>();
    try {
      its.push(iterator(root));
      while (!its.isEmpty()) {
        Iterator<Node> it = its.peek();
        if (it.hasNext()) {
          Node c = it.next();
          if (c.children == null && !c.hasMeta && c.restoreMode < 0) {
            continue;
          }
          int fd;
          try {
            fd = Posix.openat(stack.top(), c.name, Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW, 0);
          } catch (PosixException e) {
            if (e.errno() == Posix.ENOTDIR || e.errno() == Posix.ELOOP || e.errno() == Posix.ENOENT) {
              continue; // replaced or removed later in the layer: not that directory any more
            }
            throw e;
          }
          stack.push(c.name, fd);
          stack.setTag(stack.depth(), c);
          its.push(iterator(c));
          continue;
        }
        its.pop();
        if (stack.depth() == 0) {
          break;
        }
        Node n = (Node) stack.tag(stack.depth());
        byte[] name = stack.name(stack.depth());
        stack.pop();
        if (n.hasMeta) {
          Posix.chmodNoFollow(stack.top(), name, n.mode);
          Posix.utimesNoFollow(stack.top(), name, n.mtimeSec, n.mtimeNsec);
        } else if (n.restoreMode >= 0) {
          Posix.chmodNoFollow(stack.top(), name, n.restoreMode);
        }
      }
    } finally {
      stack.close();
    }
    if (root.hasMeta) {
      rootMetadata(rootFd);
    }
  }

  private void rootMetadata(int rootFd) throws PosixException {
    int fd = Posix.openat(rootFd, new byte[] {'.'}, Posix.O_RDONLY | Posix.O_DIRECTORY, 0);
    try {
      Posix.fchmod(fd, root.mode | 0700);
      Posix.futimens(fd, root.mtimeSec, root.mtimeNsec);
    } finally {
      Posix.close(fd);
    }
  }

  private static Iterator<Node> iterator(Node n) {
    return n.children == null ? Collections.emptyIterator() : n.children.values().iterator();
  }
}
