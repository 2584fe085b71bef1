package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.image.ContainerConfig;
import org.nsroot.runtime.image.ImageRunConfig;
import org.nsroot.runtime.image.ImageRunPlanner;
import org.nsroot.runtime.spec.RunSpec;
import org.nsroot.runtime.testing.Canary;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/** Docker's semantics, end to end: an image's User, Env, WorkingDir, Entrypoint and Cmd. */
class ImageRunIT {
  static List<Mode> modes() {
    return Mode.all();
  }

  private static RunResult run(Mode mode, Path rootfs, ImageRunConfig image, ContainerConfig container)
      throws Exception {
    RunSpec spec = ImageRunPlanner.plan(rootfs, "example.org/tools/comet:1.0", image, container);
    return Containers.run(mode, spec);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void theImagesUserRunsAToolThatRefusesRoot(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    ImageRunConfig image = ImageRunConfig.builder().user("app").env(List.of("PATH=/bin"))
        .cmd(List.of("/bin/sh", "-c", "[ \"$(id -u)\" -ne 0 ] || exit 99; id; echo HOME=$HOME; hostname; pwd"))
        .workingDir("/home/app").build();
    RunResult r = run(mode, rootfs, image, ContainerConfig.builder().build());
    assertEquals(0, r.exit(), r.toString());
    // Root's supplementary groups are dropped; a user's own group (which it cannot drop) shows mapped.
    assertTrue(r.stdout().matches("uid=1000\\(app\\) gid=1000\\(app\\)( groups=1000\\(app\\))?\n"
        + "HOME=/home/app\ncomet\n/home/app\n"), r.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void anIdUnknownToTheImageGetsAnEntryWithoutTouchingIt(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Map<String, String> before = Canary.manifest(rootfs);
    ImageRunConfig image = ImageRunConfig.builder().cmd(List.of("/bin/sh", "-c",
        "id; whoami; echo HOME=$HOME; grep -c . /etc/passwd")).build();
    RunResult r = run(mode, rootfs, image, ContainerConfig.builder().user("4242:4343").build());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.stdout().matches("uid=4242\\(nsroot\\) gid=4343\\(nsroot\\)( groups=4343\\(nsroot\\))?\n"
        + "nsroot\nHOME=/\n3\n"), r.stdout());
    Canary.assertUnchanged(before, rootfs);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void entrypointCmdAndOverrides(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    ImageRunConfig image = ImageRunConfig.builder().entrypoint(List.of("/bin/echo", "ep"))
        .cmd(List.of("default")).env(List.of("PATH=/nowhere:/bin", "GREETING=hi")).build();
    assertEquals("ep default\n", run(mode, rootfs, image, ContainerConfig.builder().build()).stdout());
    assertEquals("ep x y\n", run(mode, rootfs, image,
        ContainerConfig.builder().command(List.of("x", "y")).build()).stdout());
    // A new entrypoint drops the image's Cmd; PATH and the rest of Env come from the image.
    RunResult r = run(mode, rootfs, image, ContainerConfig.builder()
        .entrypoint(List.of("sh", "-c", "echo $PATH $GREETING $EXTRA")).env("EXTRA", "given").build());
    assertEquals("/nowhere:/bin hi given\n", r.stdout(), r.toString());
    RunResult root = run(mode, rootfs, ImageRunConfig.builder().user("app").cmd(List.of("/bin/id", "-u")).build(),
        ContainerConfig.builder().root(true).build());
    assertEquals("0\n", root.stdout(), root.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void aMissingWorkingDirIsMadeInsideOnly(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Map<String, String> before = Canary.manifest(rootfs);
    ImageRunConfig image = ImageRunConfig.builder().workingDir("/srv/work").cmd(List.of("/bin/pwd")).build();
    RunResult r = run(mode, rootfs, image, ContainerConfig.builder().build());
    assertEquals("/srv/work\n", r.stdout(), r.toString());
    Canary.assertUnchanged(before, rootfs);
    assertEquals(false, Files.exists(rootfs.resolve("srv")));
  }
}
