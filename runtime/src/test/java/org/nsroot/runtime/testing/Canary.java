package org.nsroot.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * INV-1 of the security catalogue: a tree whose every detail (names, types, bytes, mode, owner,
 * mtime, inode, link count, link targets) is recorded before a test and compared after it.
 */
public final class Canary {
  private Canary() {}

  /** Makes a canary tree with a file, a directory, a marker named ptmx, and an mtime in the past. */
  public static Path create(Path dir) {
    try {
      Files.createDirectories(dir.resolve("victim"));
      Files.writeString(dir.resolve("victim/hello"), "hello\n");
      Files.writeString(dir.resolve("ptmx"), "marker\n");
      Files.writeString(dir.resolve("outside-file"), "outside\n");
      FileTime old = FileTime.fromMillis(1_000_000_000_000L);
      Files.setLastModifiedTime(dir.resolve("victim/hello"), old);
      Files.setLastModifiedTime(dir.resolve("ptmx"), old);
      Files.setLastModifiedTime(dir.resolve("victim"), old);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything about a tree, one line per entry. */
  public static Map<String, String> manifest(Path top) {
    Map<String, String> m = new TreeMap<>();
    try {
      Files.walkFileTree(top, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          m.put(top.relativize(dir).toString() + "/", describe(dir));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          m.put(top.relativize(file).toString(), describe(file));
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }

  /** Asserts a tree is exactly as recorded. */
  public static void assertUnchanged(Map<String, String> before, Path top) {
    assertEquals(before, manifest(top), "the tree " + top + " changed");
  }

  private static String describe(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,ino,nlink,ctime",
        LinkOption.NOFOLLOW_LINKS);
    StringBuilder sb = new StringBuilder();
    sb.append(Integer.toOctalString((Integer) a.get("mode"))).append(' ')
        .append(a.get("uid")).append(':').append(a.get("gid")).append(' ')
        .append(a.get("size")).append(' ').append(a.get("lastModifiedTime")).append(' ')
        .append(a.get("ctime")).append(' ')
        .append("ino=").append(a.get("ino")).append(" nlink=").append(a.get("nlink"));
    if (Files.isSymbolicLink(p)) {
      sb.append(" -> ").append(Files.readSymbolicLink(p));
    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      try {
        sb.append(" sha256=").append(HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return sb.toString();
  }
}
