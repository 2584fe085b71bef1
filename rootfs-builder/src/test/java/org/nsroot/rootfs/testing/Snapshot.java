package org.nsroot.rootfs.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.nsroot.rootfs.posix.DirReader;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.posix.PosixException;
import org.nsroot.rootfs.posix.Stat;

/**
 * Everything below a directory, by path: names are raw bytes shown as ISO-8859-1 strings (so
 * non-UTF-8 names compare exactly). Read with raw *at calls, as root or as the owner.
 */
public final class Snapshot {
  /** One object of the tree. */
  public record Node(char type, int perm, long size, String sha256, String link, long mtime,
      int mtimeNsec, long ino, int nlink) {
    /** The fields a peer comparison looks at (no inode, no link count, no times). */
    public String shape() {
      return type + " " + Integer.toOctalString(perm) + " " + size + " " + (sha256 == null ? "-" : sha256)
          + " " + (link == null ? "-" : link);
    }
  }

  private Snapshot() {}

  public static Map<String, Node> of(Path root) {
    try {
      int rootFd = Posix.open(root, Posix.O_RDONLY | Posix.O_DIRECTORY);
      Map<String, Node> out = new TreeMap<>();
      try {
        walk(rootFd, "", out);
      } finally {
        Posix.close(rootFd);
      }
      return out;
    } catch (PosixException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void walk(int rootFd, String prefix, Map<String, Node> out) throws PosixException {
    ArrayDeque<Object[]> work = new ArrayDeque<>();
    work.add(new Object[] {Posix.openat(rootFd, new byte[] {'.'}, Posix.O_RDONLY | Posix.O_DIRECTORY, 0), prefix});
    DirReader r = new DirReader(-1);
    while (!work.isEmpty()) {
      Object[] w = work.poll();
      int fd = (Integer) w[0];
      String base = (String) w[1];
      try {
        r.reset(fd);
        while (r.next()) {
          byte[] n = r.name();
          String path = base + (base.isEmpty() ? "" : "/") + new String(n, StandardCharsets.ISO_8859_1);
          Stat st = Posix.statx(fd, n);
          char type = switch (st.type()) {
            case Stat.S_IFDIR -> 'd';
            case Stat.S_IFREG -> 'f';
            case Stat.S_IFLNK -> 'l';
            case Stat.S_IFIFO -> 'p';
            default -> '?';
          };
          String sha = null;
          String link = null;
          long size = type == 'f' ? st.size : 0;
          if (type == 'f') {
            sha = hash(fd, n, st);
          } else if (type == 'l') {
            link = new String(Posix.readlinkat(fd, n), StandardCharsets.ISO_8859_1);
          }
          out.put(path, new Node(type, st.perm(), size, sha, link, st.mtimeSec, st.mtimeNsec, st.ino, st.nlink));
          if (type == 'd') {
            int perm = st.perm();
            if ((perm & 0500) != 0500) {
              Posix.chmodNoFollow(fd, n, perm | 0500);
            }
            int child = Posix.openat(fd, n, Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NOFOLLOW, 0);
            if ((perm & 0500) != 0500) {
              Posix.chmodNoFollow(fd, n, perm);
            }
            work.add(new Object[] {child, path});
          }
        }
      } finally {
        Posix.close(fd);
      }
    }
  }

  private static String hash(int dirFd, byte[] n, Stat st) throws PosixException {
    boolean unreadable = (st.perm() & 0400) == 0;
    if (unreadable) {
      Posix.chmodNoFollow(dirFd, n, st.perm() | 0400);
    }
    int fd = Posix.openat(dirFd, n, Posix.O_RDONLY | Posix.O_NOFOLLOW, 0);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      int k;
      while ((k = Posix.read(fd, buf, buf.length)) > 0) {
        md.update(buf, 0, k);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      Posix.close(fd);
      if (unreadable) {
        Posix.chmodNoFollow(dirFd, n, st.perm());
        Posix.utimesNoFollow(dirFd, n, st.mtimeSec, st.mtimeNsec);
      }
    }
  }

  /** Reads a file of the tree as a string (test convenience). */
  public static String read(Path p) {
    try {
      return new String(java.nio.file.Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String unused(ByteArrayOutputStream b) {
    return b.toString();
  }
}
