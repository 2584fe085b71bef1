package org.nsroot.cli.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.nsroot.fetch.testing.TestImage;

/**
 * Everything observable about a directory tree — every entry's type, mode, size, mtime, symlink
 * target and content digest — to prove that a run left a cached rootfs exactly as it was.
 */
public final class TreeSnapshot {
  private TreeSnapshot() {}

  public static Map<String, String> of(Path root) throws IOException {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        StringBuilder s = new StringBuilder();
        s.append(a.isDirectory() ? 'd' : a.isSymbolicLink() ? 'l' : a.isRegularFile() ? 'f' : 'o')
            .append(' ').append(PosixFilePermissions.toString(a.permissions()))
            .append(' ').append(a.size())
            .append(' ').append(a.lastModifiedTime().toMillis());
        if (a.isSymbolicLink()) {
          s.append(" -> ").append(Files.readSymbolicLink(p));
        } else if (a.isRegularFile()) {
          s.append(' ').append(TestImage.sha256(Files.readAllBytes(p)));
        }
        all.put(root.relativize(p).toString(), s.toString());
      }
    }
    return all;
  }
}
