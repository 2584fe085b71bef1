package org.nsroot.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nsroot.runtime.launch.Launcher;
import org.nsroot.runtime.spec.Mount;
import org.nsroot.runtime.spec.RunSpec;

/**
 * Starts runs the way a library caller does ({@link Launcher}), as the mode's user. Output goes to
 * files so a test never deadlocks on a full pipe.
 */
public final class Containers {
  /** Guards against a hung test only; no test asserts on time. */
  public static final long GUARD_SECONDS = 180;

  private Containers() {}

  /** A read-only spec running {@code sh -c SCRIPT} with PATH=/bin and a /tmp tmpfs. */
  public static RunSpec.Builder sh(Path rootfs, String script) {
    return RunSpec.builder(rootfs)
        .argv(List.of("/bin/sh", "-c", script))
        .env("PATH", "/bin")
        .mount(new Mount.Tmpfs("/tmp", 16L << 20, 01777));
  }

  /** The process builder of a run, prefixed for the mode's user. */
  public static ProcessBuilder builder(Mode mode, RunSpec spec) {
    try {
      ProcessBuilder pb = Launcher.processBuilder(TestEnv.get().helper(mode), spec);
      List<String> cmd = new ArrayList<>(mode.prefix());
      cmd.addAll(pb.command());
      return pb.command(cmd);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a run; stdout and stderr go to the files {@code out} and {@code err}. */
  public static Process start(Mode mode, RunSpec spec, Path out, Path err) {
    try {
      return builder(mode, spec).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs to the end. */
  public static RunResult run(Mode mode, RunSpec spec) {
    return run(builder(mode, spec));
  }

  /** Runs a prepared process builder to the end (stdin from /dev/null). */
  public static RunResult run(ProcessBuilder pb) {
    try {
      Path dir = TestEnv.get().newDir("out");
      Path out = dir.resolve("stdout");
      Path err = dir.resolve("stderr");
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      return finish(p, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for a started run and collects its output. */
  public static RunResult finish(Process p, Path out, Path err) {
    try {
      if (!p.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("run did not finish within the guard time");
      }
      return new RunResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
