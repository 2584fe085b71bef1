package org.nsroot.cli.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * The nsroot checkout the tests run: this repository, or for an unprivileged user a root-owned,
 * world-readable copy of its launcher and jars, as a checkout root built would be.
 */
public final class Checkout {
  private Checkout() {}

  /** The repository root (the tests run in cli/). */
  public static Path repository() {
    Path p = Paths.get("").toAbsolutePath();
    return Files.exists(p.resolve("nsroot")) ? p : p.getParent();
  }

  /** A copy of the built launcher and jar that another user can read but not change. */
  public static synchronized Path stagedForOtherUsers() throws IOException {
    Path staged = Paths.get(System.getProperty("java.io.tmpdir"), "nsroot-checkout-" + ProcessHandle.current().pid());
    if (Files.exists(staged.resolve("nsroot"))) {
      return staged;
    }
    Path repo = repository();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        org.nsroot.fetch.store.TreeDeleter.delete(staged); // 24 MB of jar per test JVM otherwise
      } catch (IOException ignored) {
        // /tmp is cleaned at boot
      }
    }));
    Path target = staged.resolve("cli/target");
    Files.createDirectories(target);
    Files.copy(repo.resolve("nsroot"), staged.resolve("nsroot"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(repo.resolve("cli/target/nsroot.jar"), target.resolve("nsroot.jar"), StandardCopyOption.REPLACE_EXISTING);
    try (Stream<Path> all = Files.walk(staged)) {
      for (Path p : all.toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
            Files.isDirectory(p) || p.getFileName().toString().equals("nsroot") ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    for (Path p = staged; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
      if (!Files.isExecutable(p)) {
        throw new IOException(p + " is not traversable by other users");
      }
    }
    return staged;
  }
}
