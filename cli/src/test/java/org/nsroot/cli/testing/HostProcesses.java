package org.nsroot.cli.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** What the host's /proc shows: processes of containers are visible there by their command line. */
public final class HostProcesses {
  /** Guards against a hung test only; no test asserts on time. */
  public static final long GUARD_SECONDS = 60;

  private HostProcesses() {}

  /** The pids of live processes whose argv is exactly {@code argv}. */
  public static List<Long> withArgv(String... argv) throws IOException {
    String wanted = String.join("\0", argv) + "\0";
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.equals(wanted)) {
            found.add(Long.parseLong(name));
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    }
    return found;
  }

  /** Waits (within the guard time) until {@code condition} holds; fails naming {@code what} if it never does. */
  public static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Waits until no process has argv {@code argv}; fails with the survivors' pids otherwise. */
  public static void awaitNone(String... argv) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
    List<Long> alive;
    while (!(alive = withArgv(argv)).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still alive: " + String.join(" ", argv) + " as pids " + alive);
      }
      Thread.sleep(20);
    }
  }
}
