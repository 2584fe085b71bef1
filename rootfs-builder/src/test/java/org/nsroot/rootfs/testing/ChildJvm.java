package org.nsroot.rootfs.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Starts a main class of the test classpath in a fresh JVM, optionally as another user. The
 * classpath is copied to a world-readable directory first: the Maven repository under /root is not
 * readable by the unprivileged test user.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** Command line for {@code mainClass} with a classpath copied under {@code dir}. */
  public static List<String> command(Path dir, String mainClass, String... args) throws IOException {
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      entries.add(e);
      if (e.endsWith(".jar") && e.contains("surefirebooter")) {
        try (JarFile jar = new JarFile(e)) {
          String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
          if (cp != null) {
            for (String u : cp.trim().split("\\s+")) {
              entries.add(Path.of(java.net.URI.create(u)).toString());
            }
          }
        }
      }
    }
    Path cpDir = Files.createDirectories(dir.resolve("cp"));
    List<String> copied = new ArrayList<>();
    int i = 0;
    for (String e : entries) {
      Path src = Path.of(e);
      if (!Files.exists(src) || e.contains("surefirebooter")) {
        continue;
      }
      Path dst = cpDir.resolve(i++ + "-" + src.getFileName());
      copyTree(src, dst);
      copied.add(dst.toString());
    }
    openUp(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, copied));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void copyTree(Path src, Path dst) throws IOException {
    if (Files.isRegularFile(src)) {
      Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void openUp(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }
}
