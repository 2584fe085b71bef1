package org.nsroot.runtime.helper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nsroot.runtime.spec.IdMap;
import org.nsroot.runtime.spec.Mount;
import org.nsroot.runtime.spec.NetworkMode;
import org.nsroot.runtime.spec.Rlimit;
import org.nsroot.runtime.spec.RootfsMode;
import org.nsroot.runtime.spec.RunSpec;

/**
 * Translates a {@link RunSpec} into the helper's command line. Java computes, C carries out: every
 * decision is an explicit option, so the helper's defaults never matter for a run.
 */
public final class HelperCommandLine {
  private HelperCommandLine() {}

  /**
   * Builds the invocation of {@code helper} for {@code spec}.
   *
   * @param helper the helper binary (its path becomes argv[0])
   * @param spec the run
   * @return the argument vector and environment to start the helper with
   */
  public static HelperInvocation of(HelperBinary helper, RunSpec spec) {
    return of(helper.path().toString(), spec);
  }

  /**
   * As {@link #of(HelperBinary, RunSpec)}, with the helper given by path (for tests and tools).
   *
   * @param helperPath argv[0]
   * @param spec the run
   * @return the invocation
   */
  public static HelperInvocation of(String helperPath, RunSpec spec) {
    List<String> a = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    a.add(helperPath);
    if (spec.rootfsMode() == RootfsMode.OVERLAY) {
      a.add("--writable");
      if (spec.overlaySizeBytes() > 0) {
        a.add("--overlay-size");
        a.add(Long.toString(spec.overlaySizeBytes()));
      }
    } else {
      a.add("-r");
    }
    a.add("--name");
    a.add(spec.imageName());
    if (spec.lockFile().isPresent()) {
      a.add("--lock");
      a.add(spec.lockFile().get().toString());
    }
    a.add(spec.network() == NetworkMode.HOST ? "--share-net" : "-n");
    a.add(spec.shareIpc() ? "--share-ipc" : "-i");
    if (!spec.sysfs()) {
      a.add("--no-sys");
    }
    if (spec.hostname().isPresent()) {
      a.add("--hostname");
      a.add(spec.hostname().get());
    }
    for (IdMap m : spec.uidMap()) {
      a.add("-M");
      a.add(m.line());
    }
    for (IdMap m : spec.gidMap()) {
      a.add("-G");
      a.add(m.line());
    }
    a.add("--uid");
    a.add(Long.toString(spec.uid()));
    a.add("--gid");
    a.add(Long.toString(spec.gid()));
    a.add("-w");
    a.add(spec.workdir());
    for (Map.Entry<String, String> e : spec.env().entrySet()) {
      a.add("-e");
      if (readByLibc(e.getKey())) {
        // The image must not tune the helper's own libc; such values are no secrets either.
        a.add(e.getKey() + "=" + e.getValue());
      } else {
        a.add(e.getKey());
        env.put(e.getKey(), e.getValue());
      }
    }
    for (Mount m : spec.mounts()) {
      if (m instanceof Mount.Bind b) {
        a.add("-v");
        a.add(b.source() + ":" + b.destination() + (b.readOnly() ? ":ro" : ":rw"));
      } else if (m instanceof Mount.Tmpfs t) {
        StringBuilder opts = new StringBuilder("mode=").append(Integer.toOctalString(t.mode()));
        if (t.sizeBytes() > 0) {
          opts.append(",size=").append(t.sizeBytes());
        }
        a.add("--tmpfs");
        a.add(t.destination() + ":" + opts);
      } else if (m instanceof Mount.InlineFile f) {
        a.add("--file");
        a.add(f.destination() + ":" + f.content());
      }
    }
    for (Rlimit r : spec.rlimits()) {
      a.add("--rlimit");
      a.add(r.helperArgument());
    }
    if (spec.pidsMax() > 0) {
      a.add("--pids-max");
      a.add(Long.toString(spec.pidsMax()));
    }
    for (Map.Entry<String, String> f : spec.cgroup().files().entrySet()) {
      a.add("--cgroup");
      a.add(f.getKey() + "=" + f.getValue());
    }
    if (spec.timeout().isPresent()) {
      a.add("--timeout");
      a.add(seconds(spec.timeout().get()));
    }
    if (spec.tty()) {
      a.add("--pty");
    }
    if (spec.allowNestedUserns()) {
      a.add("--allow-userns");
    }
    a.add("--");
    a.add(spec.rootfs().toString());
    a.addAll(spec.argv());
    return new HelperInvocation(a, env);
  }

  /**
   * The invocation of {@code helper} with arguments the user wrote ({@code nsroot chroot}). The
   * helper gives the command no environment beyond its {@code -e} options; it gets the caller's
   * environment only so that {@code -e KEY} can copy a value, and never the variables that would
   * tune its own libc.
   *
   * @param helper the helper binary (its path becomes argv[0])
   * @param args the helper's arguments, after its name
   * @return the invocation
   */
  public static HelperInvocation forArguments(HelperBinary helper, List<String> args) {
    List<String> argv = new ArrayList<>(args.size() + 1);
    argv.add(helper.path().toString());
    argv.addAll(args);
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : System.getenv().entrySet()) {
      if (!readByLibc(e.getKey())) {
        env.put(e.getKey(), e.getValue());
      }
    }
    return new HelperInvocation(argv, env);
  }

  /** Variables that even a static glibc reads at start-up (tunables, malloc, loader). */
  static boolean readByLibc(String key) {
    return key.startsWith("GLIBC_") || key.startsWith("MALLOC_") || key.startsWith("LD_");
  }

  private static String seconds(Duration d) {
    long ms = Math.max(1, d.toMillis());
    String frac = Long.toString(1000 + ms % 1000).substring(1); // three digits, without Formatter
    return (ms / 1000) + "." + frac;
  }
}
