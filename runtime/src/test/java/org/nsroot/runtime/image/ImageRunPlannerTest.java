package org.nsroot.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.runtime.spec.Mount;
import org.nsroot.runtime.spec.RootfsMode;
import org.nsroot.runtime.spec.RunSpec;

class ImageRunPlannerTest {
  @TempDir Path root;

  @BeforeEach
  void image() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1000:\n");
  }

  private RunSpec plan(ImageRunConfig image, ContainerConfig c) throws Exception {
    return ImageRunPlanner.plan(root, "quay.io/biocontainers/comet:2.3@sha256:abc", image, c);
  }

  @Test
  void commandFollowsDockersRules() throws Exception {
    ImageRunConfig image = ImageRunConfig.builder().entrypoint(List.of("tini", "--")).cmd(List.of("comet", "-h")).build();
    assertEquals(List.of("tini", "--", "comet", "-h"), plan(image, ContainerConfig.builder().build()).argv());
    assertEquals(List.of("tini", "--", "ls"), plan(image, ContainerConfig.builder().command(List.of("ls")).build()).argv());
    assertEquals(List.of("sh"), plan(image, ContainerConfig.builder().entrypoint(List.of("sh")).build()).argv());
    assertEquals(List.of("sh", "-c", "x"), plan(image,
        ContainerConfig.builder().entrypoint(List.of("sh")).command(List.of("-c", "x")).build()).argv());
    assertEquals(List.of("ls"), plan(image, ContainerConfig.builder().entrypoint(List.of()).command(List.of("ls")).build()).argv());
    ImageConfigException e = assertThrows(ImageConfigException.class,
        () -> plan(ImageRunConfig.EMPTY, ContainerConfig.builder().build()));
    assertEquals("no command: image quay.io/biocontainers/comet:2.3@sha256:abc has no Entrypoint or Cmd; "
        + "give one after --", e.getMessage());
  }

  @Test
  void environmentIsTheImagesPlusDefaultsPlusTheCallers() throws Exception {
    ImageRunConfig image = ImageRunConfig.builder().user("app").cmd(List.of("x"))
        .env(List.of("A=1", "B=with=equals", "EMPTY=")).build();
    RunSpec s = plan(image, ContainerConfig.builder().env("A", "override").env("C", "3").tty(true).build());
    assertEquals(Map.of("A", "override", "B", "with=equals", "EMPTY", "", "PATH", ImageRunPlanner.DEFAULT_PATH,
        "HOSTNAME", "comet", "HOME", "/home/app", "TERM", "xterm", "C", "3"), s.env());
    assertEquals(1000, s.uid());
    assertEquals(1000, s.gid());
    assertEquals(RootfsMode.READ_ONLY, s.rootfsMode());
    assertEquals("comet", s.hostname().orElseThrow());
    assertEquals(List.of(new Mount.Tmpfs("/tmp", ContainerConfig.DEFAULT_TMP_BYTES, 01777)), s.mounts());
  }

  @Test
  void malformedOrHugeImageEnvIsRejectedNamingTheEntry() {
    assertEquals("the image's Env has a malformed entry (want KEY=VALUE): NOEQUALS",
        assertThrows(ImageConfigException.class, () -> plan(ImageRunConfig.builder().cmd(List.of("x"))
            .env(List.of("A=1", "NOEQUALS")).build(), ContainerConfig.builder().build())).getMessage());
    assertThrows(ImageConfigException.class, () -> plan(ImageRunConfig.builder().cmd(List.of("x"))
        .env(List.of("=value")).build(), ContainerConfig.builder().build()));
    List<String> many = new ArrayList<>(Collections.nCopies(100_000, "K=V"));
    assertTrue(assertThrows(ImageConfigException.class, () -> plan(ImageRunConfig.builder().cmd(List.of("x"))
        .env(many).build(), ContainerConfig.builder().build())).getMessage().contains("100000 entries"));
  }

  @Test
  void userOverridesAndGeneratedEntries() throws Exception {
    ImageRunConfig image = ImageRunConfig.builder().user("app").cmd(List.of("x")).workingDir("work").build();
    RunSpec root = plan(image, ContainerConfig.builder().root(true).build());
    assertEquals(0, root.uid());
    assertEquals("/root", root.env().get("HOME"));
    assertEquals("/work", root.workdir());
    RunSpec other = plan(image, ContainerConfig.builder().user("5000").workdir("/data").writable(true).build());
    assertEquals(5000, other.uid());
    assertEquals(0, other.gid());
    assertEquals("/", other.env().get("HOME"));
    assertEquals("/data", other.workdir());
    assertEquals(RootfsMode.OVERLAY, other.rootfsMode());
    assertTrue(other.mounts().stream().anyMatch(m -> m instanceof Mount.InlineFile f
        && f.destination().equals("/etc/passwd") && f.content().endsWith("nsroot:x:5000:0:nsroot user:/:/bin/sh\n")));
    assertThrows(UnknownUserException.class, () -> plan(image, ContainerConfig.builder().user("nobody").build()));
  }

  @Test
  void hostnamesComeFromTheImageName() {
    assertEquals("comet", ImageRunPlanner.hostnameOf("quay.io/biocontainers/comet:2.3@sha256:abc"));
    assertEquals("busybox", ImageRunPlanner.hostnameOf("busybox"));
    assertEquals("my-tool", ImageRunPlanner.hostnameOf("localhost:5000/My_Tool:latest"));
    assertEquals("nsroot", ImageRunPlanner.hostnameOf("___"));
  }
}
