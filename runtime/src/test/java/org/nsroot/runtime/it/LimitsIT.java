package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.ExitStatus;
import org.nsroot.runtime.spec.CgroupLimits;
import org.nsroot.runtime.spec.Rlimit;
import org.nsroot.runtime.spec.RunSpec;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/**
 * Limits for runaway tools (F12). Only lowering limits is tested: raising one needs
 * CAP_SYS_RESOURCE, which nobody running nsroot has (nor root on this test machine).
 */
class LimitsIT {
  private static final Pattern FORKS = Pattern.compile("forkmax: stopped after (\\d+): EAGAIN\n");

  static List<Mode> modes() {
    return Mode.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void rlimitsReachTheCommand(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "ulimit -n; ulimit -H -n; dd if=/dev/zero of=/tmp/big bs=4096 count=4 2>/dev/null; echo dd=$?")
        .rlimit(new Rlimit(Rlimit.Kind.NOFILE, 64, 128))
        .rlimit(new Rlimit(Rlimit.Kind.FSIZE, 1024, 1024)).build());
    assertEquals(0, r.exit(), r.toString());
    // dd is killed by SIGXFSZ (25) when it passes 1 KiB.
    assertEquals("64\n128\ndd=153\n", r.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void cpuLimitStopsABusyLoop(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunResult r = Containers.run(mode, RunSpec.builder(rootfs).argv(List.of("/bin/sh", "-c", "while :; do :; done"))
        .rlimit(new Rlimit(Rlimit.Kind.CPU, 1, 2)).build());
    assertEquals(128 + 24, r.exit(), r.toString()); // SIGXCPU at the soft limit
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void forkingIsBoundedByThePidLimit(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunResult r = Containers.run(mode, Containers.sh(rootfs, "probe forkmax 100000").pidsMax(400).build());
    assertEquals(0, r.exit(), r.toString());
    Matcher m = FORKS.matcher(r.stdout());
    assertTrue(m.matches(), r.stdout());
    assertTrue(Integer.parseInt(m.group(1)) < 400, r.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void nprocRlimitBoundsAnUnprivilegedUser(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    // (As root, --pids-max keeps the unbound fork loop from filling the machine's pid space.)
    RunResult r = Containers.run(mode, Containers.sh(rootfs, "probe forkmax 100000")
        .rlimit(new Rlimit(Rlimit.Kind.NPROC, 50, 50)).pidsMax(mode == Mode.ROOT ? 400 : 0).build());
    assertEquals(0, r.exit(), r.toString());
    if (mode == Mode.ROOT) {
      // The kernel exempts the host's root from RLIMIT_NPROC; the helper says so (use --pids-max).
      assertTrue(r.stderr().contains("--rlimit nproc does not bind processes of the host's root"), r.stderr());
    } else {
      Matcher m = FORKS.matcher(r.stdout());
      assertTrue(m.matches(), r.stdout());
      assertTrue(Integer.parseInt(m.group(1)) < 50, r.stdout());
      assertEquals("", r.stderr());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void aForkBombEndsAtTheTimeoutAndLeavesNothing(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    String marker = "nsroot-bomb-" + UUID.randomUUID();
    RunResult r = Containers.run(mode, RunSpec.builder(rootfs).env("PATH", "/bin").pidsMax(500)
        .timeout(Duration.ofSeconds(3))
        .argv(List.of("/bin/sh", "-c", "echo lit; b() { b | b & }; b; while :; do :; done", marker)).build());
    assertEquals(ExitStatus.TIMEOUT, r.exit(), r.toString());
    assertTrue(r.stdout().startsWith("lit\n"), r.toString());
    assertEquals(List.of(), HostProcesses.withMarker(marker));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void cgroupLimitsWithoutADelegatedCgroupFailWithOneClearLine(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    // This machine has no delegated cgroup v2 subtree: the run must refuse, not run unlimited.
    RunResult r = Containers.run(mode, Containers.sh(rootfs, "echo ran")
        .cgroup(new CgroupLimits(256L << 20, 0, 0)).build());
    assertEquals(ExitStatus.NSROOT_FAILED, r.exit(), r.toString());
    assertEquals("", r.stdout());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().startsWith("nsroot-exec: cgroup limits (--cgroup memory.max) need a delegated cgroup v2 "
        + "subtree"), r.stderr());
  }
}
