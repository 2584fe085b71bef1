package org.nsroot.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.nsroot.runtime.helper.HelperBinary;

/**
 * The per-JVM fixtures of the integration tests: a root-owned, world-readable staging directory
 * (as a checkout built by root would be) holding the helper, a static probe binary, and busybox
 * rootfs trees made from Debian's busybox-static, so the tests need no network.
 */
public final class TestEnv {
  private static TestEnv instance;

  private final Path staging;
  private final Path probe;
  private final HelperBinary rootHelper;
  private final HelperBinary sharedHelper;
  private final AtomicInteger counter = new AtomicInteger();

  private TestEnv() throws Exception {
    staging = Files.createTempDirectory("nsroot-it-");
    Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(staging)));
    // Root's own copy: unpacked exactly as the CLI does it (mode 0500, sha256 checked).
    rootHelper = HelperBinary.install(staging.resolve("home/bin"));
    // The unprivileged user's copy: an administrator's install, root-owned, mode 0555.
    Path shared = staging.resolve("libexec/nsroot-exec");
    Files.createDirectories(shared.getParent());
    Files.copy(rootHelper.path(), shared);
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("r-xr-xr-x"));
    sharedHelper = HelperBinary.at(shared);
    probe = staging.resolve("probe");
    Path src = Path.of(System.getProperty("basedir", ".")).resolve("src/test/c/probe.c").toAbsolutePath();
    exec(List.of("cc", "-std=c11", "-O2", "-Wall", "-Werror", "-static", "-o", probe.toString(), src.toString()));
  }

  /** The fixtures, made on first use. */
  public static synchronized TestEnv get() {
    if (instance == null) {
      try {
        instance = new TestEnv();
      } catch (Exception e) {
        throw new IllegalStateException("cannot set up the integration test fixtures: " + e.getMessage(), e);
      }
    }
    return instance;
  }

  /** The helper as the given mode runs it. */
  public HelperBinary helper(Mode mode) {
    return mode == Mode.ROOT ? rootHelper : sharedHelper;
  }

  /** The static probe binary (also copied into every rootfs as /bin/probe). */
  public Path probe() {
    return probe;
  }

  /** A fresh directory under the staging directory, world-traversable, owned by root. */
  public Path newDir(String name) {
    try {
      Path d = staging.resolve(name + "-" + counter.incrementAndGet());
      Files.createDirectories(d);
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A busybox rootfs, owned by the mode's user as the store's rootfs would be: /bin holds
   * busybox, its applets as symlinks, and the probe; /etc holds passwd and group with root and
   * {@code app} (1000); /proc, /dev, /sys, /tmp exist as the rootfs-builder makes them.
   */
  public Path newRootfs(Mode mode) {
    Path root = newDir("rootfs").resolve("rootfs");
    try {
      for (String d : List.of("bin", "etc", "proc", "dev", "sys", "tmp", "root", "home/app", "var/tmp")) {
        Files.createDirectories(root.resolve(d));
      }
      Files.setAttribute(root.resolve("tmp"), "unix:mode", 01777);
      Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
      Files.copy(probe, root.resolve("bin/probe"));
      String list = exec(List.of("/bin/busybox", "--list"));
      for (String applet : list.split("\n")) {
        if (!applet.isBlank() && !applet.equals("busybox")) {
          Files.createSymbolicLink(root.resolve("bin").resolve(applet.trim()), Path.of("busybox"));
        }
      }
      Files.writeString(root.resolve("etc/passwd"),
          "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app user:/home/app:/bin/sh\n");
      Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1000:\n");
      Files.writeString(root.resolve("etc/hostname"), "image\n");
      chownTree(root, mode);
      chown(root.getParent(), mode);
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Gives a tree to the mode's user (no-op for ROOT, or when the JVM is not root). */
  public void chownTree(Path top, Mode mode) throws IOException {
    if (!Mode.jvmIsRoot() || mode == Mode.ROOT) {
      return;
    }
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        chown(dir, mode);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        chown(file, mode);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Gives one path (not following a symlink) to the mode's user. */
  public void chown(Path p, Mode mode) throws IOException {
    if (!Mode.jvmIsRoot() || mode == Mode.ROOT) {
      return;
    }
    Files.setAttribute(p, "unix:uid", mode.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", mode.gid(), LinkOption.NOFOLLOW_LINKS);
  }

  /** Runs a host command, returns its stdout, fails on a non-zero exit. */
  public static String exec(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a tree without following symlinks (test images hold links to host paths). */
  public static void deleteTree(Path top) {
    if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<IOException> errors = new ArrayList<>();
    try {
      Files.walkFileTree(top, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          dir.toFile().setWritable(true, true);
          dir.toFile().setExecutable(true, true);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      errors.add(e);
    }
  }

  /** Copies a file into a rootfs path (for test images). */
  public static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }
}
