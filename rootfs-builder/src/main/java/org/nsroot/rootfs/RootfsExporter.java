package org.nsroot.rootfs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nsroot.rootfs.posix.DirReader;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.posix.PosixException;
import org.nsroot.rootfs.posix.Stat;
import org.nsroot.rootfs.tar.TarWriter;
import org.nsroot.rootfs.tree.DirStack;

/**
 * Writes a flattened tree as a tar that {@code docker import} loads, like {@code docker export}:
 * names relative to the root without {@code ./}, directories first then their content in byte
 * order, exact permission bits and mtimes, symlinks as written, hardlinked files as one file plus
 * hardlink members, FIFOs, names byte for byte (PAX for long ones). {@code /.old_root} is written
 * as an empty directory. Owner is root (0/0). Unreadable files and directories of the owner are
 * opened up for the read and their mode put back. Extended attributes are not exported.
 */
public final class RootfsExporter {
  private static final byte[] OLD_ROOT = ".old_root".getBytes(StandardCharsets.US_ASCII);
  private static final int DIR_FLAGS = Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NOFOLLOW;

  private RootfsExporter() {}

  private record Key(long dev, long ino) {}

  private static final class Level {
    final byte[] path;
    final List<byte[]> names;
    int index;

    Level(byte[] path, List<byte[]> names) {
      this.path = path;
      this.names = names;
    }
  }

  /** Writes the tree below {@code rootfs} to {@code out} (not closed). */
  public static void export(Path rootfs, OutputStream out) throws RootfsException {
    TarWriter tar = new TarWriter(out);
    Map<Key, byte[]> links = new HashMap<>();
    DirReader reader = new DirReader(-1);
    byte[] buf = new byte[128 * 1024];
    int rootFd = -1;
    DirStack stack = null;
    List<Level> levels = new ArrayList<>();
    byte[] current = null;
    try {
      rootFd = Posix.open(rootfs, DIR_FLAGS);
      stack = new DirStack(rootFd, DIR_FLAGS);
      levels.add(new Level(new byte[0], list(rootFd, reader)));
      while (!levels.isEmpty()) {
        Level lv = levels.get(levels.size() - 1);
        if (lv.index >= lv.names.size()) {
          levels.remove(levels.size() - 1);
          if (stack.depth() > 0) {
            putModeBack(stack, stack.depth());
            stack.pop();
          }
          continue;
        }
        int dirFd = stack.top();
        byte[] name = lv.names.get(lv.index++);
        byte[] path = join(lv.path, name);
        current = path;
        Stat st = Posix.statxOrNull(dirFd, name);
        if (st == null) {
          continue;
        }
        switch (st.type()) {
          case Stat.S_IFDIR -> {
            tar.member(join(path, new byte[0]), '5', st.perm(), 0, st.mtimeSec, st.mtimeNsec, null);
            if (levels.size() == 1 && Arrays.equals(name, OLD_ROOT)) {
              continue; // mount point of the runtime: never its content
            }
            // Looking up its entries needs u+x for as long as they are read, not just to open it.
            // The mode to put back rides on the stack from the moment it is changed.
            boolean opened = (st.perm() & 0500) != 0500;
            if (opened) {
              Posix.chmodNoFollow(dirFd, name, st.perm() | 0500);
            }
            int fd;
            try {
              fd = Posix.openat(dirFd, name, DIR_FLAGS, 0);
            } catch (PosixException e) {
              if (opened) {
                Posix.chmodNoFollow(dirFd, name, st.perm());
              }
              throw e;
            }
            stack.push(name, fd);
            if (opened) {
              stack.setTag(stack.depth(), st.perm());
            }
            levels.add(new Level(path, list(stack.top(), reader)));
          }
          case Stat.S_IFREG -> {
            Key k = new Key(st.dev, st.ino);
            byte[] first = st.nlink > 1 ? links.get(k) : null;
            if (first != null) {
              tar.member(path, '1', st.perm(), 0, st.mtimeSec, st.mtimeNsec, first);
              continue;
            }
            if (st.nlink > 1) {
              links.put(k, path);
            }
            tar.member(path, '0', st.perm(), st.size, st.mtimeSec, st.mtimeNsec, null);
            copy(dirFd, name, st, tar, buf);
            tar.endData();
          }
          case Stat.S_IFLNK -> tar.member(path, '2', 0777, 0, st.mtimeSec, st.mtimeNsec,
              Posix.readlinkat(dirFd, name));
          case Stat.S_IFIFO -> tar.member(path, '6', st.perm(), 0, st.mtimeSec, st.mtimeNsec, null);
          default -> {
            // devices and sockets cannot be in a rootfs we built; skip them in foreign trees
          }
        }
      }
      tar.finish();
    } catch (PosixException e) {
      throw new RootfsException("export of " + rootfs + " failed"
          + (current == null ? "" : " at '" + Posix.printable(current) + "'") + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new RootfsException("export of " + rootfs + " failed: " + e.getMessage(), e);
    } finally {
      if (stack != null) {
        for (int l = stack.depth(); l > 0; l--) {
          putModeBackQuietly(stack, l);
        }
        stack.close();
      }
      Posix.close(rootFd);
    }
  }

  /** Puts back the mode of the directory at {@code level} if the export opened it up. */
  private static void putModeBack(DirStack stack, int level) throws PosixException {
    if (stack.tag(level) instanceof Integer mode) {
      Posix.fchmod(stack.fd(level), mode);
      stack.setTag(level, null);
    }
  }

  private static void putModeBackQuietly(DirStack stack, int level) {
    try {
      putModeBack(stack, level);
    } catch (PosixException ignored) {
      // the export already failed; that error is the one to report
    }
  }

  private static List<byte[]> list(int fd, DirReader reader) throws PosixException {
    List<byte[]> names = new ArrayList<>();
    reader.reset(fd);
    reader.rewind();
    while (reader.next()) {
      names.add(reader.name());
    }
    names.sort(Arrays::compareUnsigned);
    return names;
  }

  private static void copy(int dirFd, byte[] name, Stat st, TarWriter tar, byte[] buf)
      throws IOException {
    boolean opened = (st.perm() & 0400) == 0;
    if (opened) {
      Posix.chmodNoFollow(dirFd, name, st.perm() | 0400);
    }
    int fd;
    try {
      fd = Posix.openat(dirFd, name, Posix.O_RDONLY | Posix.O_NOFOLLOW | Posix.O_NONBLOCK, 0);
    } finally {
      if (opened) {
        Posix.chmodNoFollow(dirFd, name, st.perm());
      }
    }
    try {
      long left = st.size;
      while (left > 0) {
        int n = Posix.read(fd, buf, (int) Math.min(buf.length, left));
        if (n == 0) {
          Arrays.fill(buf, (byte) 0); // the file shrank while exporting: keep the tar consistent
          n = (int) Math.min(buf.length, left);
        }
        tar.data(buf, 0, n);
        left -= n;
      }
    } finally {
      Posix.close(fd);
    }
  }

  private static byte[] join(byte[] dir, byte[] name) {
    if (name.length == 0) {
      byte[] r = Arrays.copyOf(dir, dir.length + 1);
      r[dir.length] = '/';
      return r;
    }
    if (dir.length == 0) {
      return name;
    }
    byte[] r = new byte[dir.length + 1 + name.length];
    System.arraycopy(dir, 0, r, 0, dir.length);
    r[dir.length] = '/';
    System.arraycopy(name, 0, r, dir.length + 1, name.length);
    return r;
  }
}
