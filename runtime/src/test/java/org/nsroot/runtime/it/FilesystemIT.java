package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.spec.Mount;
import org.nsroot.runtime.spec.RootfsMode;
import org.nsroot.runtime.spec.RunSpec;
import org.nsroot.runtime.testing.Canary;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/** What the container sees of files: its rootfs, its volumes, nothing else; the cache never changes. */
class FilesystemIT {
  static List<Mode> modes() {
    return Mode.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void hostFilesOutsideRootfsAndVolumesAreInvisible(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path canary = Canary.create(TestEnv.get().newDir("canary"));
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "ls -a /; for p in " + canary + " " + canary + "/outside-file /usr /work /home/app/../../etc/shadow; do "
            + "test -e $p && echo VISIBLE $p; done; exit 0").build());
    assertEquals(0, r.exit(), r.toString());
    assertEquals(".\n..\nbin\ndev\netc\nhome\nproc\nroot\nsys\ntmp\nvar\n", r.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void readOnlyVolumeRefusesWritesAndReadWriteVolumeTakesThem(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path ro = TestEnv.get().newDir("ro");
    Path rw = TestEnv.get().newDir("rw");
    Files.writeString(ro.resolve("input"), "data\n");
    TestEnv.get().chownTree(ro, mode);
    TestEnv.get().chownTree(rw, mode);
    Map<String, String> roBefore = Canary.manifest(ro);
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "cat /in/input; echo x > /in/input; echo $?; touch /in/new; echo $?; echo out > /out/result")
        .mount(new Mount.Bind(ro, "/in", true)).mount(new Mount.Bind(rw, "/out", false)).build());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("data\n1\n1\n", r.stdout());
    assertTrue(r.stderr().contains("Read-only file system"), r.stderr());
    Canary.assertUnchanged(roBefore, ro);
    assertEquals("out\n", Files.readString(rw.resolve("result")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void onOneDestinationTheLaterMountWinsWhateverItsKind(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path vol = TestEnv.get().newDir("passwd-vol");
    Files.writeString(vol.resolve("passwd"), "from-volume\n");
    TestEnv.get().chownTree(vol, mode);
    Mount.Bind bind = new Mount.Bind(vol.resolve("passwd"), "/etc/passwd", true);
    Mount.InlineFile file = new Mount.InlineFile("/etc/passwd", "from-file\n");
    RunResult fileThenVolume = Containers.run(mode, Containers.sh(rootfs, "cat /etc/passwd")
        .mount(file).mount(bind).build());
    assertEquals("from-volume\n", fileThenVolume.stdout(), fileThenVolume.toString());
    RunResult volumeThenFile = Containers.run(mode, Containers.sh(rootfs, "cat /etc/passwd")
        .mount(bind).mount(file).build());
    assertEquals("from-file\n", volumeThenFile.stdout(), volumeThenFile.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void writesToAReadOnlyRootfsFail(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Map<String, String> before = Canary.manifest(rootfs);
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "echo x > /etc/passwd; echo $?; rm /bin/busybox; echo $?; mkdir /new; echo $?; echo t > /tmp/t && cat /tmp/t")
        .build());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("1\n1\n1\nt\n", r.stdout());
    Canary.assertUnchanged(before, rootfs);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void aWritableRunPoisonsNothingForTheNext(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path canary = Canary.create(TestEnv.get().newDir("canary"));
    Map<String, String> before = Canary.manifest(rootfs);
    // F14: run 1 edits /bin/sh, adds /etc/ld.so.preload, plants a link to the host, writes files.
    RunResult first = Containers.run(mode, Containers.sh(rootfs,
        "rm /bin/sh && printf '#!/bin/busybox ash\\necho poisoned\\n' > /bin/sh && chmod 755 /bin/sh && "
            + "echo /evil.so > /etc/ld.so.preload && ln -s " + canary + " /out && echo x > /root/file && "
            + "/bin/sh && cat /etc/ld.so.preload")
        .rootfsMode(RootfsMode.OVERLAY).build());
    assertEquals(0, first.exit(), first.toString());
    assertEquals("poisoned\n/evil.so\n", first.stdout());
    Canary.assertUnchanged(before, rootfs);
    RunResult second = Containers.run(mode, Containers.sh(rootfs,
        "readlink /bin/sh; test -e /etc/ld.so.preload || echo no-preload; test -e /out || echo no-out; "
            + "test -e /root/file || echo no-file").build());
    assertEquals(0, second.exit(), second.toString());
    assertEquals("busybox\nno-preload\nno-out\nno-file\n", second.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void missingVolumeDestinationsAreMadeWithoutTouchingTheCache(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path vol = TestEnv.get().newDir("vol");
    Files.writeString(vol.resolve("f"), "in volume\n");
    Path file = TestEnv.get().newDir("file").resolve("single");
    Files.writeString(file, "single file\n");
    TestEnv.get().chownTree(vol, mode);
    Map<String, String> before = Canary.manifest(rootfs);
    RunResult r = Containers.run(mode, Containers.sh(rootfs, "cat /new/deep/dir/f /etc/new/single; pwd")
        .mount(new Mount.Bind(vol, "/new/deep/dir", false))
        .mount(new Mount.Bind(file, "/etc/new/single", true))
        .workdir("/work/here").build());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("in volume\nsingle file\n/work/here\n", r.stdout());
    Canary.assertUnchanged(before, rootfs);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void twoRunsOfOneImageDoNotSeeEachOthersWrites(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path sync = TestEnv.get().newDir("sync");
    TestEnv.get().chownTree(sync, mode);
    Path dirA = TestEnv.get().newDir("a");
    Path dirB = TestEnv.get().newDir("b");
    // Each run writes its mark, signals through a shared volume, waits for the other's signal,
    // then looks for the other's mark: both are running and have written when they look.
    String script = "echo $0 > /own-$0; touch /sync/$0; until [ -e /sync/$1 ]; do sleep 0.02; done; "
        + "ls /own-*; cat /own-$0";
    RunSpec a = Containers.sh(rootfs, "").argv(List.of("/bin/sh", "-c", script, "A", "B"))
        .rootfsMode(RootfsMode.OVERLAY).mount(new Mount.Bind(sync, "/sync", false)).build();
    RunSpec b = Containers.sh(rootfs, "").argv(List.of("/bin/sh", "-c", script, "B", "A"))
        .rootfsMode(RootfsMode.OVERLAY).mount(new Mount.Bind(sync, "/sync", false)).build();
    Process pa = Containers.start(mode, a, dirA.resolve("out"), dirA.resolve("err"));
    Process pb = Containers.start(mode, b, dirB.resolve("out"), dirB.resolve("err"));
    RunResult ra = Containers.finish(pa, dirA.resolve("out"), dirA.resolve("err"));
    RunResult rb = Containers.finish(pb, dirB.resolve("out"), dirB.resolve("err"));
    assertEquals(0, ra.exit(), ra.toString());
    assertEquals(0, rb.exit(), rb.toString());
    assertEquals("/own-A\nA\n", ra.stdout());
    assertEquals("/own-B\nB\n", rb.stdout());
    assertFalse(Files.exists(rootfs.resolve("own-A")));
  }
}
