package org.nsroot.runtime.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nsroot.runtime.spec.CgroupLimits;
import org.nsroot.runtime.spec.IdMap;
import org.nsroot.runtime.spec.Mount;
import org.nsroot.runtime.spec.NetworkMode;
import org.nsroot.runtime.spec.Rlimit;
import org.nsroot.runtime.spec.RootfsMode;
import org.nsroot.runtime.spec.RunSpec;

class HelperCommandLineTest {
  @Test
  void everyDecisionIsAnExplicitOption() {
    RunSpec spec = RunSpec.builder(Path.of("/store/rootfs/abc"))
        .imageName("comet:1").rootfsMode(RootfsMode.OVERLAY).overlaySizeBytes(1 << 20)
        .argv(List.of("comet", "-p", "x y")).env("PATH", "/bin").env("TOKEN", "s3cret")
        .workdir("/data").ids(1000, 100).hostname("comet").network(NetworkMode.HOST).shareIpc(true)
        .sysfs(false).uidMap(new IdMap(0, 1000, 1)).gidMap(new IdMap(0, 100, 1))
        .mount(new Mount.Tmpfs("/tmp", 64 << 20, 01777))
        .mount(new Mount.Bind(Path.of("/home/u/in:put"), "/in", true))
        .mount(new Mount.InlineFile("/etc/passwd", "u:x:1000:100::/:/bin/sh\n"))
        .rlimit(new Rlimit(Rlimit.Kind.NOFILE, 64, 128)).pidsMax(500)
        .cgroup(new CgroupLimits(1 << 30, 1.5, 100)).timeout(Duration.ofMillis(2500)).tty(true)
        .allowNestedUserns(true).build();
    HelperInvocation inv = HelperCommandLine.of("/h/nsroot-exec", spec);
    assertEquals(List.of("/h/nsroot-exec", "--writable", "--overlay-size", "1048576", "--name", "comet:1",
        "--share-net", "--share-ipc", "--no-sys", "--hostname", "comet", "-M", "0 1000 1", "-G", "0 100 1",
        "--uid", "1000", "--gid", "100", "-w", "/data", "-e", "PATH", "-e", "TOKEN",
        "--tmpfs", "/tmp:mode=1777,size=67108864", "-v", "/home/u/in:put:/in:ro",
        "--file", "/etc/passwd:u:x:1000:100::/:/bin/sh\n", "--rlimit", "nofile=64:128", "--pids-max", "500",
        "--cgroup", "memory.max=1073741824", "--cgroup", "cpu.max=150000 100000", "--cgroup", "pids.max=100",
        "--timeout", "2.500", "--pty", "--allow-userns", "--", "/store/rootfs/abc", "comet", "-p", "x y"),
        inv.argv());
    assertEquals(Map.of("PATH", "/bin", "TOKEN", "s3cret"), inv.environment());
  }

  @Test
  void defaultsAreSpelledOutToo() {
    RunSpec spec = RunSpec.builder(Path.of("/r")).argv(List.of("/bin/true")).build();
    assertEquals(List.of("h", "-r", "--name", "/r", "-n", "-i", "--uid", "0", "--gid", "0", "-w", "/", "--", "/r",
        "/bin/true"), HelperCommandLine.of("h", spec).argv());
  }

  @Test
  void secretsTravelInTheEnvironmentNotTheArguments() {
    RunSpec spec = RunSpec.builder(Path.of("/r")).argv(List.of("/bin/true"))
        .env("REGISTRY_PASSWORD", "hunter2").env("GLIBC_TUNABLES", "glibc.malloc.check=3").build();
    HelperInvocation inv = HelperCommandLine.of("h", spec);
    assertFalse(String.join(" ", inv.argv()).contains("hunter2"));
    assertEquals("hunter2", inv.environment().get("REGISTRY_PASSWORD"));
    // Variables the helper's own libc would read never sit in its environment.
    assertTrue(inv.argv().contains("GLIBC_TUNABLES=glibc.malloc.check=3"));
    assertFalse(inv.environment().containsKey("GLIBC_TUNABLES"));
    assertEquals(List.of("REGISTRY_PASSWORD=hunter2"), List.of(inv.envp()));
  }
}
