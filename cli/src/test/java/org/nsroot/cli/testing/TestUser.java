package org.nsroot.cli.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.stream.Stream;

/**
 * The unprivileged user the tests run nsroot as ({@code ./test.sh} creates it). Missing, the tests
 * fail rather than skip: CI must prove that nothing depends on root.
 */
public final class TestUser {
  public static final String NAME = "nsroot-test";

  private TestUser() {}

  public static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Makes sure the user exists; throws with the fix otherwise. */
  public static void require() throws IOException {
    Process p = new ProcessBuilder("id", "-u", NAME).redirectErrorStream(true).start();
    try {
      if (p.waitFor() != 0) {
        throw new IOException("the test user '" + NAME + "' does not exist: run ./test.sh as root, which creates it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** A fresh directory the test user owns, for its HOME. */
  public static Path home(Path parent) throws IOException {
    Path home = Files.createTempDirectory(parent, "home-");
    UserPrincipal user = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(NAME);
    Files.setOwner(home, user);
    Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    for (Path p = parent; p != null && !p.equals(p.getRoot()); p = p.getParent()) {
      p.toFile().setExecutable(true, false);
    }
    return home;
  }

  /** Prefixes a command so that it runs as the test user with a clean environment. */
  public static String[] wrap(String... command) {
    String[] wrapped = new String[command.length + 5];
    wrapped[0] = "setpriv";
    wrapped[1] = "--reuid=" + NAME;
    wrapped[2] = "--regid=" + NAME;
    wrapped[3] = "--init-groups";
    wrapped[4] = "--";
    System.arraycopy(command, 0, wrapped, 5, command.length);
    return wrapped;
  }

  /** Whether any file under {@code dir} contains {@code secret}. */
  public static boolean anyFileContains(Path dir, String secret) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(secret)) {
          return true;
        }
      }
    }
    return false;
  }
}
