package org.nsroot.runtime.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Looks for processes on the host by a marker in their command line (INV-4). */
final class HostProcesses {
  private HostProcesses() {}

  /** Host pids whose command line contains {@code marker}. */
  static List<Long> withMarker(String marker) {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmd.contains(marker)) {
            out.add(Long.parseLong(name));
          }
        } catch (IOException gone) {
          // the process exited while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** Waits until some process carries the marker (the guard only stops a hung test). */
  static void awaitPresent(String marker) throws InterruptedException {
    for (long i = 0; i < 1800 && withMarker(marker).isEmpty(); i++) {
      Thread.sleep(100);
    }
  }

  /** Waits until no process carries the marker any more; returns the survivors (none expected). */
  static List<Long> awaitGone(String marker) throws InterruptedException {
    List<Long> left = withMarker(marker);
    for (long i = 0; i < 600 && !left.isEmpty(); i++) {
      Thread.sleep(100);
      left = withMarker(marker);
    }
    return left;
  }

  /** Waits until the file holds {@code text}. */
  static void awaitText(Path file, String text) throws Exception {
    for (long i = 0; i < 1800; i++) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(file + " never showed " + text);
  }
}
