package org.nsroot.runtime.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who runs the helper in an integration test. Every isolation test runs in each mode: as root
 * (when the JVM is root) and as the unprivileged user {@value #TEST_USER}, reached through setpriv
 * from a root JVM, or the JVM's own user otherwise.
 */
public enum Mode {
  ROOT, USER;

  /** The unprivileged account the tests use; test.sh creates it. */
  public static final String TEST_USER = "nsroot-test";

  private static final int JVM_UID = uidOf(Path.of("/proc/self"));

  /** The modes this JVM can run; a missing test user fails the tests instead of skipping them. */
  public static List<Mode> all() {
    if (JVM_UID == 0) {
      testUserIds(); // fails loudly if the account is missing
      return List.of(ROOT, USER);
    }
    return List.of(USER);
  }

  /** Whether the JVM runs as root (and so can run both modes and chown fixtures). */
  public static boolean jvmIsRoot() {
    return JVM_UID == 0;
  }

  /** The host uid the helper runs as in this mode. */
  public int uid() {
    return this == ROOT ? 0 : (JVM_UID == 0 ? testUserIds()[0] : JVM_UID);
  }

  /** The host gid the helper runs as in this mode. */
  public int gid() {
    if (this == ROOT) {
      return 0;
    }
    if (JVM_UID == 0) {
      return testUserIds()[1];
    }
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Words put before the helper so it runs as this mode's user. */
  public List<String> prefix() {
    if (this == USER && JVM_UID == 0) {
      return List.of("/usr/bin/setpriv", "--reuid=" + TEST_USER, "--regid=" + TEST_USER, "--init-groups");
    }
    return List.of();
  }

  private static int[] ids;

  /** uid and gid of the test user from /etc/passwd (the host's, read by the test, not by nsroot). */
  static synchronized int[] testUserIds() {
    if (ids != null) {
      return ids;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
        String[] f = line.split(":");
        if (f.length > 3 && f[0].equals(TEST_USER)) {
          ids = new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
          return ids;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("the test user " + TEST_USER + " does not exist; test.sh creates it "
        + "(useradd --system --create-home --home-dir /var/lib/" + TEST_USER + " " + TEST_USER + ")");
  }

  private static int uidOf(Path p) {
    try {
      return (Integer) Files.getAttribute(p, "unix:uid");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
