package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.ExitStatus;
import org.nsroot.runtime.spec.Mount;
import org.nsroot.runtime.spec.NetworkMode;
import org.nsroot.runtime.spec.RootfsMode;
import org.nsroot.runtime.testing.Canary;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/**
 * Images whose symlinks point mount targets, /dev set-up or the working directory at the host
 * (F7, F8, E1). The canary tree belongs to the run's user, so a run that followed a link out of
 * the image could write it: it must stay byte-, mode-, time- and link-count-identical.
 */
class SymlinkAttackIT {
  static List<Mode> modes() {
    return Mode.all();
  }

  private static Path canary(Mode mode) throws Exception {
    Path c = Canary.create(TestEnv.get().newDir("canary"));
    TestEnv.get().chownTree(c, mode);
    return c;
  }

  private static Path image(Mode mode, String link, String target) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path l = rootfs.resolve(link);
    if (Files.isDirectory(l, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(l);
    } else {
      Files.deleteIfExists(l);
    }
    Files.createSymbolicLink(l, Path.of(target));
    TestEnv.get().chown(l, mode);
    return rootfs;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void imageWhoseDevIsASymlinkIsRejected(Mode mode) throws Exception {
    Path canary = canary(mode);
    Map<String, String> before = Canary.manifest(canary);
    Path rootfs = image(mode, "dev", canary.toString());
    RunResult r = Containers.run(mode, Containers.sh(rootfs, "echo ran").imageName("evil").build());
    assertEquals(ExitStatus.NSROOT_FAILED, r.exit(), r.toString());
    assertEquals("nsroot-exec: image evil: /dev is a symbolic link; it must be an ordinary directory\n", r.stderr());
    Canary.assertUnchanged(before, canary);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void imageWhoseProcOrSysIsASymlinkIsRejected(Mode mode) throws Exception {
    for (String dir : List.of("proc", "sys")) {
      Path canary = canary(mode);
      Map<String, String> before = Canary.manifest(canary);
      Path rootfs = image(mode, dir, canary.toString());
      RunResult r = Containers.run(mode, Containers.sh(rootfs, "echo ran").imageName("evil").build());
      assertEquals(ExitStatus.NSROOT_FAILED, r.exit(), r.toString());
      assertEquals("nsroot-exec: image evil: /" + dir + " is a symbolic link; it must be an ordinary directory\n",
          r.stderr());
      Canary.assertUnchanged(before, canary);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void volumeDestinationClimbingOutOfTheImageLandsInside(Mode mode) throws Exception {
    Path canary = canary(mode);
    Map<String, String> before = Canary.manifest(canary);
    // data -> ../../../../../<canary>/victim/x: ".." stops at the image's root.
    Path rootfs = image(mode, "data", "../../../../../.." + canary + "/victim/x");
    Path vol = TestEnv.get().newDir("vol");
    Files.writeString(vol.resolve("v"), "volume\n");
    TestEnv.get().chownTree(vol, mode);
    Map<String, String> image = Canary.manifest(rootfs);
    RunResult r = Containers.run(mode, Containers.sh(rootfs, "cat /data/v; cat " + canary + "/victim/x/v")
        .mount(new Mount.Bind(vol, "/data", false)).build());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("volume\nvolume\n", r.stdout());
    Canary.assertUnchanged(before, canary);
    Canary.assertUnchanged(image, rootfs);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void hostResolvConfAndHostsGoThroughImageLinksOnlyInsideTheImage(Mode mode) throws Exception {
    Path canary = canary(mode);
    Map<String, String> before = Canary.manifest(canary);
    Path rootfs = TestEnv.get().newRootfs(mode);
    // etc/resolv.conf -> <canary>/victim/hello (a file of the user's); etc/hosts -> /jump/baz/hosts
    // with jump -> <canary>/foo/bar, a dangling chain whose directories must not appear on the host.
    Files.createSymbolicLink(rootfs.resolve("etc/resolv.conf"), Path.of(canary + "/victim/hello"));
    Files.createSymbolicLink(rootfs.resolve("etc/hosts"), Path.of("/jump/baz/hosts"));
    Files.createSymbolicLink(rootfs.resolve("jump"), Path.of(canary + "/foo/bar"));
    TestEnv.get().chownTree(rootfs, mode);
    Map<String, String> image = Canary.manifest(rootfs);
    RunResult r = Containers.run(mode, Containers.sh(rootfs, "cat /etc/resolv.conf; cat /etc/hosts")
        .network(NetworkMode.HOST).build());
    assertEquals(0, r.exit(), r.toString());
    String hostResolv = Files.exists(Path.of("/etc/resolv.conf")) ? Files.readString(Path.of("/etc/resolv.conf")) : "";
    String hostHosts = Files.readString(Path.of("/etc/hosts"));
    assertEquals(hostResolv + hostHosts, r.stdout());
    Canary.assertUnchanged(before, canary);
    Canary.assertUnchanged(image, rootfs);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void tmpfsOnASelfLoopingSymlinkIsRefused(Mode mode) throws Exception {
    Path rootfs = image(mode, "tmp", "/tmp");
    RunResult r = Containers.run(mode, Containers.sh(rootfs, "echo ran").build());
    assertEquals(ExitStatus.NSROOT_FAILED, r.exit(), r.toString());
    assertTrue(r.stderr().startsWith("nsroot-exec: mount target /tmp: Too many levels of symbolic links"), r.stderr());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void workdirThroughAnImageSymlinkNeverCreatesHostDirectories(Mode mode) throws Exception {
    Path canary = canary(mode);
    Map<String, String> before = Canary.manifest(canary);
    Path rootfs = image(mode, "w", canary + "/newdir");
    for (RootfsMode rm : List.of(RootfsMode.READ_ONLY, RootfsMode.OVERLAY)) {
      RunResult r = Containers.run(mode, Containers.sh(rootfs, "probe getcwd; ls " + canary)
          .workdir("/w/sub").rootfsMode(rm).build());
      assertEquals(0, r.exit(), r.toString());
      assertEquals("getcwd: " + canary + "/newdir/sub\nnewdir\n", r.stdout());
    }
    // E1: a working directory that is a magic link, and one that climbs out: both end inside.
    Path rootfs2 = image(mode, "w", "/proc/self/cwd");
    RunResult r = Containers.run(mode, Containers.sh(rootfs2, "probe getcwd").workdir("/w").build());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("getcwd: /\n", r.stdout());
    RunResult up = Containers.run(mode, Containers.sh(rootfs, "probe getcwd").workdir("/../../../..").build());
    assertEquals("getcwd: /\n", up.stdout(), up.toString());
    Canary.assertUnchanged(before, canary);
  }
}
