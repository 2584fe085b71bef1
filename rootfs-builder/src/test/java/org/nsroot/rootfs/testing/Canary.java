package org.nsroot.rootfs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * INV-1: files outside the target that must stay untouched: bytes, mode, mtime, inode, link count,
 * and no new name appearing next to them.
 */
public final class Canary {
  private Canary() {}

  /** Creates $T/victim/hello, $T/dest-evil/secret, $T/outside-file, $T/perm400. */
  public static void plant(Path t) throws IOException {
    Files.createDirectories(t.resolve("victim"));
    Files.createDirectories(t.resolve("dest-evil"));
    Files.writeString(t.resolve("victim/hello"), "hello canary\n");
    Files.writeString(t.resolve("dest-evil/secret"), "secret\n");
    Files.writeString(t.resolve("outside-file"), "outside\n");
    Files.writeString(t.resolve("perm400"), "perm400\n");
    Files.setPosixFilePermissions(t.resolve("victim/hello"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(t.resolve("perm400"), PosixFilePermissions.fromString("r--------"));
    for (String p : new String[] {"victim/hello", "dest-evil/secret", "outside-file", "perm400", "victim", "dest-evil"}) {
      Files.setLastModifiedTime(t.resolve(p), FileTime.fromMillis(1_500_000_000_000L));
    }
  }

  /** Everything under $T except the build's own directories. */
  public static Map<String, String> manifest(Path t, String... exclude) throws IOException {
    Map<String, String> m = new TreeMap<>();
    java.util.Set<String> ex = java.util.Set.of(exclude);
    Files.walkFileTree(t, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult preVisitDirectory(Path d, java.nio.file.attribute.BasicFileAttributes a)
          throws IOException {
        if (ex.contains(t.relativize(d).toString())) {
          return java.nio.file.FileVisitResult.SKIP_SUBTREE;
        }
        record(d);
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a)
          throws IOException {
        if (!ex.contains(t.relativize(p).toString())) {
          record(p);
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      private void record(Path p) throws IOException {
        String rel = t.relativize(p).toString();
        if (rel.isEmpty()) {
          return;
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,nlink,lastModifiedTime,size", LinkOption.NOFOLLOW_LINKS);
        String content = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.isReadable(p)
            ? Layers.sha256(Files.readAllBytes(p)) : "";
        m.put(rel, a.get("mode") + " " + a.get("ino") + " " + a.get("nlink") + " "
            + a.get("lastModifiedTime") + " " + a.get("size") + " " + content);
      }
    });
    return m;
  }
}
