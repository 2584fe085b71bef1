package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.spec.NetworkMode;
import org.nsroot.runtime.spec.RunSpec;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/**
 * Network, IPC, UTS and pid isolation (F9, F10). Where a test shows that something of the host is
 * unreachable, it also shows the same probe reaching it when the namespace is shared, so a probe
 * that cannot succeed anyway would be caught.
 */
class NamespaceIT {
  static List<Mode> modes() {
    return Mode.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void onlyLoopbackAndTheHostsLoopbackIsUnreachable(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    try (ServerSocket host = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = host.getLocalPort();
      RunResult r = Containers.run(mode, Containers.sh(rootfs,
          "ip -o link | cut -d: -f2 | tr -d ' '; cat /sys/class/net/lo/operstate; "
              + "probe connect 127.0.0.1 " + port).build());
      assertEquals(0, r.exit(), r.toString());
      // ECONNREFUSED, not ENETUNREACH: loopback is up, and nothing of the host listens on it.
      assertEquals("lo\nunknown\nconnect: ECONNREFUSED\n", r.stdout());
      RunResult shared = Containers.run(mode, Containers.sh(rootfs, "probe connect 127.0.0.1 " + port)
          .network(NetworkMode.HOST).build());
      assertEquals("connect: OK\n", shared.stdout(), shared.toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void hostAbstractUnixSocketsAreUnreachable(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    String name = "nsroot-test-" + UUID.randomUUID();
    for (NetworkMode net : NetworkMode.values()) {
      RunSpec spec = Containers.sh(rootfs, "probe connect-abstract " + name).network(net).build();
      ProcessBuilder pb = Containers.builder(mode, spec);
      List<String> cmd = new ArrayList<>(List.of(TestEnv.get().probe().toString(), "listen-abstract", name));
      cmd.addAll(pb.command());
      RunResult r = Containers.run(pb.command(cmd));
      assertEquals(0, r.exit(), r.toString());
      assertEquals(net == NetworkMode.ISOLATED ? "connect-abstract: ECONNREFUSED\n" : "connect-abstract: OK\n",
          r.stdout(), net.toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void hostSysvSharedMemoryIsInvisible(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    String made = TestEnv.exec(List.of("ipcmk", "-M", "4096"));
    String id = made.replaceAll("(?s).*:\\s*(\\d+).*", "$1");
    try {
      String key = null;
      for (String line : Files.readAllLines(Path.of("/proc/sysvipc/shm"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 1 && f[1].equals(id)) {
          key = f[0];
        }
      }
      assertTrue(key != null, "ipcmk made no segment: " + made);
      RunResult r = Containers.run(mode, Containers.sh(rootfs,
          "tail -n +2 /proc/sysvipc/shm | wc -l; probe shm-find " + key).build());
      assertEquals(0, r.exit(), r.toString());
      assertEquals("0\nshm-find: ENOENT\n", r.stdout());
      RunResult shared = Containers.run(mode, Containers.sh(rootfs, "probe shm-find " + key).shareIpc(true).build());
      assertEquals("shm-find: OK\n", shared.stdout(), shared.toString());
    } finally {
      TestEnv.exec(List.of("ipcrm", "-m", id));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void hostnameIsTheContainersOwn(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    RunResult r = Containers.run(mode, Containers.sh(rootfs, "hostname; hostname changed; hostname")
        .hostname("comet").build());
    assertEquals("comet\ncomet\n", r.stdout(), r.toString());
    assertEquals(host, Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void procShowsOnlyTheContainersProcesses(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "for p in /proc/[0-9]*; do echo ${p#/proc/}:$(tr '\\0' ' ' < $p/cmdline); done").build());
    assertEquals(0, r.exit(), r.toString());
    // pid 1 is the helper's init (its arguments wiped), 2 the shell; nothing of the host.
    List<String> lines = r.stdout().lines().toList();
    assertTrue(lines.get(0).startsWith("1:nsroot-init"), r.stdout());
    assertTrue(lines.get(1).startsWith("2:/bin/sh -c "), r.stdout());
    assertTrue(lines.size() <= 3, r.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void hostProcessesCannotBeSignalledOrTraced(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    long jvm = ProcessHandle.current().pid();
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "sleep 100 & probe kill " + jvm + " 18; probe ptrace " + jvm + "; probe kill $! 0; kill $!").build());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("kill: ESRCH\nptrace: ESRCH\nkill: OK\n", r.stdout());
    assertTrue(ProcessHandle.current().isAlive());
  }
}
