package org.nsroot.runtime.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSpecTest {
  @TempDir Path tmp;

  @Test
  void defaultsAreTheSafeOnes() {
    RunSpec s = RunSpec.builder(Path.of("/r")).argv(List.of("true")).build();
    assertEquals(RootfsMode.READ_ONLY, s.rootfsMode());
    assertEquals(NetworkMode.ISOLATED, s.network());
    assertEquals(false, s.shareIpc());
    assertEquals(false, s.allowNestedUserns());
    assertEquals(true, s.sysfs());
    assertEquals("/", s.workdir());
    assertEquals(0, s.uid());
    assertEquals(List.of(), s.mounts());
  }

  @Test
  void unsafeValuesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> RunSpec.builder(Path.of("relative")));
    RunSpec.Builder b = RunSpec.builder(Path.of("/r"));
    assertThrows(IllegalArgumentException.class, () -> b.argv(List.of()));
    assertThrows(IllegalArgumentException.class, () -> b.argv(List.of("a\0b")));
    assertThrows(IllegalArgumentException.class, () -> b.env("A=B", "c"));
    assertThrows(IllegalArgumentException.class, () -> b.env("", "c"));
    assertThrows(IllegalArgumentException.class, () -> b.workdir("relative"));
    assertThrows(IllegalArgumentException.class, () -> b.hostname("bad host"));
    assertThrows(IllegalArgumentException.class, () -> b.ids(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> b.pidsMax(10));
    assertThrows(IllegalArgumentException.class, () -> b.timeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new Mount.Bind(Path.of("/a"), "/b:c", false));
    assertThrows(IllegalArgumentException.class, () -> new Mount.Bind(Path.of("a"), "/b", false));
    assertThrows(IllegalArgumentException.class, () -> new Mount.Tmpfs("tmp", 0, 01777));
    assertThrows(IllegalArgumentException.class,
        () -> new Mount.InlineFile("/etc/passwd", "x".repeat(Mount.InlineFile.MAX_BYTES + 1)));
    assertThrows(IllegalStateException.class, () -> RunSpec.builder(Path.of("/r")).build());
    assertThrows(IllegalStateException.class,
        () -> RunSpec.builder(Path.of("/r")).argv(List.of("x")).overlaySizeBytes(5).build());
  }

  @Test
  void rlimitsParseLikeTheCli() throws Exception {
    assertEquals(List.of(new Rlimit(Rlimit.Kind.NOFILE, 1024, 1024), new Rlimit(Rlimit.Kind.AS, 2L << 30, 4L << 30),
        new Rlimit(Rlimit.Kind.CPU, 60, Rlimit.UNLIMITED)),
        Rlimit.parseList("nofile=1024, as=2g:4g,cpu=60:unlimited"));
    assertEquals("as=2147483648:unlimited", new Rlimit(Rlimit.Kind.AS, 2L << 30, Rlimit.UNLIMITED).helperArgument());
    assertThrows(InvalidRunSpecException.class, () -> Rlimit.parseList("files=3"));
    assertThrows(InvalidRunSpecException.class, () -> Rlimit.parseList("nofile=10:5"));
    assertThrows(InvalidRunSpecException.class, () -> Rlimit.parseList("nofile"));
    assertThrows(InvalidRunSpecException.class, () -> Rlimit.parseList("nproc=1k"));
    assertEquals(512L << 20, Sizes.parseBytes("512m"));
    assertThrows(NumberFormatException.class, () -> Sizes.parseBytes("-1"));
  }

  @Test
  void cgroupLimitsBecomeInterfaceFiles() {
    assertEquals(java.util.Map.of("memory.max", "1024", "cpu.max", "50000 100000", "pids.max", "7"),
        new CgroupLimits(1024, 0.5, 7).files());
    assertEquals(true, CgroupLimits.NONE.files().isEmpty());
  }

  @Test
  void volumesParseLikeDocker() throws Exception {
    java.nio.file.Files.createDirectories(tmp.resolve("in"));
    assertEquals(new Mount.Bind(tmp.resolve("in"), "/data", true), Volumes.parse("in:/data:ro", tmp));
    assertEquals(new Mount.Bind(tmp.resolve("in"), "/data", false), Volumes.parse(tmp + "/in:/data", Path.of("/")));
    assertThrows(InvalidRunSpecException.class, () -> Volumes.parse("missing:/data", tmp));
    assertThrows(InvalidRunSpecException.class, () -> Volumes.parse("in:data", tmp));
    assertThrows(InvalidRunSpecException.class, () -> Volumes.parse("/data", tmp));
  }
}
