package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.ExitStatus;
import org.nsroot.runtime.spec.RunSpec;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/** Exit statuses and signals pass through; the container dies with its command and its caller. */
class ExitAndSignalIT {
  static List<Mode> modes() {
    return Mode.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void exitStatusesPassThrough(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    assertEquals(0, Containers.run(mode, Containers.sh(rootfs, "exit 0").build()).exit());
    assertEquals(1, Containers.run(mode, Containers.sh(rootfs, "exit 1").build()).exit());
    assertEquals(42, Containers.run(mode, Containers.sh(rootfs, "exit 42").build()).exit());
    assertEquals(128 + 9, Containers.run(mode, Containers.sh(rootfs, "kill -9 $$").build()).exit());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void missingCommandIs127AndNamesIt(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunResult r = Containers.run(mode, RunSpec.builder(rootfs).imageName("busybox:test")
        .argv(List.of("no-such-tool", "x")).env("PATH", "/bin:/usr/bin").build());
    assertEquals(ExitStatus.NOT_FOUND, r.exit(), r.toString());
    assertEquals("nsroot-exec: no-such-tool: command not found in image busybox:test\n", r.stderr());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void nonExecutableCommandIs126AndNamesIt(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunResult r = Containers.run(mode, RunSpec.builder(rootfs).imageName("busybox:test")
        .argv(List.of("/etc/passwd")).build());
    assertEquals(ExitStatus.CANNOT_EXECUTE, r.exit(), r.toString());
    assertTrue(r.stderr().startsWith("nsroot-exec: /etc/passwd: cannot execute in image busybox:test: "), r.stderr());
    assertEquals(1, r.stderr().lines().count());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void sigtermToTheCallerReachesTheCommand(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path dir = TestEnv.get().newDir("term");
    RunSpec spec = Containers.sh(rootfs, "trap 'echo got TERM; exit 7' TERM; echo ready; "
        + "while :; do sleep 1; done").build();
    Process p = Containers.start(mode, spec, dir.resolve("out"), dir.resolve("err"));
    HostProcesses.awaitText(dir.resolve("out"), "ready");
    p.destroy(); // SIGTERM to the helper's outer process
    RunResult r = Containers.finish(p, dir.resolve("out"), dir.resolve("err"));
    assertEquals(7, r.exit(), r.toString());
    assertTrue(r.stdout().contains("got TERM"), r.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void killingTheCallerKillsTheContainer(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path dir = TestEnv.get().newDir("kill");
    String marker = "nsroot-marker-" + UUID.randomUUID();
    RunSpec spec = RunSpec.builder(rootfs).env("PATH", "/bin")
        .argv(List.of("/bin/sh", "-c", "setsid sh -c 'while :; do sleep 1; done' " + marker + "-daemon & "
            + "echo ready; while :; do sleep 1; done", marker)).build();
    Process p = Containers.start(mode, spec, dir.resolve("out"), dir.resolve("err"));
    HostProcesses.awaitText(dir.resolve("out"), "ready");
    HostProcesses.awaitPresent(marker + "-daemon");
    assertFalse(HostProcesses.withMarker(marker + "-daemon").isEmpty(), "the daemon started");
    p.destroyForcibly(); // SIGKILL: the helper cannot clean up, the pipe tells init
    p.waitFor();
    assertEquals(List.of(), HostProcesses.awaitGone(marker), "container processes outlived the caller");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void nothingOutlivesTheCommand(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    String marker = "nsroot-marker-" + UUID.randomUUID();
    // A double-forked daemon in its own session, seen running before the command exits.
    RunResult r = Containers.run(mode, RunSpec.builder(rootfs).env("PATH", "/bin")
        .argv(List.of("/bin/sh", "-c", "setsid sh -c 'sh -c \"while :; do sleep 1; done\" " + marker
            + " &' ; " + waitFor(marker) + "echo started")).build());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("started\n", r.stdout());
    // init's exit tears the pid namespace down before the helper reports the status: no waiting.
    assertEquals(List.of(), HostProcesses.withMarker(marker));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void timeoutKillsEverythingAndSaysSo(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    String marker = "nsroot-marker-" + UUID.randomUUID();
    RunResult r = Containers.run(mode, RunSpec.builder(rootfs).env("PATH", "/bin")
        .timeout(Duration.ofMillis(1500))
        .argv(List.of("/bin/sh", "-c", "setsid sh -c 'while :; do sleep 1; done' " + marker
            + " & " + waitFor(marker) + "echo running; while :; do :; done")).build());
    assertEquals(ExitStatus.TIMEOUT, r.exit(), r.toString());
    assertEquals("running\n", r.stdout());
    assertTrue(r.stderr().contains("nsroot-exec: timeout: /bin/sh ran longer than 1.500 s; killed the container"),
        r.stderr());
    assertEquals(List.of(), HostProcesses.withMarker(marker));
  }

  /** Shell words that wait until a process whose arguments hold MARKER runs in the container. */
  private static String waitFor(String marker) {
    return "until ps -o args | grep -v grep | grep -q " + marker + "; do sleep 0.01; done; ";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void initReapsOrphanedZombies(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    // Orphans whose parent never waits are re-parented to pid 1; a broken init leaves them as Z.
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "for i in 1 2 3 4 5; do (true &); done; "
            + "for i in $(seq 1 200); do ps -o stat | grep -q '^Z' || { echo reaped; exit 0; }; sleep 0.05; done; "
            + "ps -o pid,ppid,stat,args; exit 1").build());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("reaped\n", r.stdout());
  }
}
