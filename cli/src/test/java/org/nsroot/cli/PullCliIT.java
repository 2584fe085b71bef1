package org.nsroot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.cli.testing.Cli;
import org.nsroot.fetch.testing.Compression;
import org.nsroot.fetch.testing.FaultProxy;
import org.nsroot.fetch.testing.LocalRegistry;
import org.nsroot.fetch.testing.RegistryPusher;
import org.nsroot.fetch.testing.TarBuilder;
import org.nsroot.fetch.testing.TestImage;

/** {@code nsroot pull} and the store commands, through the launcher, as root and as a plain user. */
class PullCliIT {
  static LocalRegistry registry;
  static RegistryPusher pusher;
  static TestImage tool;

  @TempDir static Path shared;
  @TempDir Path tmp;

  @BeforeAll
  static void setUp() throws Exception {
    registry = LocalRegistry.start(shared.resolve("registry"));
    pusher = new RegistryPusher(registry.baseUri());
    tool = image(3, 400_000, Compression.GZIP); // umoci 0.4.7, the judge below, predates zstd
    pusher.push("bio/tool", "1.0", tool);
  }

  @AfterAll
  static void tearDown() {
    registry.close();
  }

  static TestImage image(int layers, int size) throws IOException {
    return image(layers, size, null);
  }

  static TestImage image(int layers, int size, Compression only) throws IOException {
    TestImage img = TestImage.oci();
    for (int i = 0; i < layers; i++) {
      byte[] data = new byte[size];
      new Random(i).nextBytes(data);
      img.layer(new TarBuilder().dir("opt").file("opt/data" + i, data, 0644).file("opt/readme" + i, "layer " + i).build(),
          only != null ? only : i % 2 == 0 ? Compression.GZIP : Compression.ZSTD);
    }
    return img.build();
  }

  @Test
  void pullLeavesAStoreThatSkopeoAndUmociRead() throws Exception {
    for (Cli cli : Cli.everyUser(tmp)) {
      String ref = registry.host() + "/bio/tool:1.0";
      Cli.Result r = cli.run("pull", ref);
      assertEquals(0, r.exit(), cli.who() + ": " + r);
      assertTrue(r.out().contains(ref + ": downloaded ") && r.out().contains(" and built its rootfs in "), r.toString());
      assertFalse(r.out().contains("/s)"), "no download rate over a time that includes extraction: " + r);
      assertEquals(3, r.errLines().stream().filter(l -> l.matches("layer \\d/3 [0-9a-f]{12}: downloaded .*")).count(),
          "off a terminal, one line per layer: " + r);
      Path store = cli.store();
      Cli.Result skopeo = cli.shell("skopeo inspect oci:" + store + ":" + ref);
      assertEquals(0, skopeo.exit(), skopeo.toString());
      assertTrue(skopeo.out().contains(tool.manifestDigest()), skopeo.toString());
      Cli.Result umoci = cli.shell("umoci ls --layout " + store);
      assertEquals(0, umoci.exit(), umoci.toString());
      assertTrue(umoci.out().contains(ref), umoci.toString());
      Cli.Result unpack = cli.shell("umoci unpack --rootless --image " + store + ":" + ref + " " + cli.home() + "/bundle"
          + " && cat " + cli.home() + "/bundle/rootfs/opt/readme2");
      assertEquals(0, unpack.exit(), unpack.toString());
      assertTrue(unpack.out().endsWith("layer 2"), unpack.toString());

      Cli.Result again = cli.run("pull", ref);
      assertTrue(again.out().contains("up to date"), again.toString());
      assertEquals(0, cli.run("rmi", ref).exit());
      assertEquals(0, cli.run("prune").exit());
      Cli.Result blobsOnly = cli.run("pull", "--no-rootfs", ref);
      assertTrue(blobsOnly.out().matches("(?s).*" + java.util.regex.Pattern.quote(ref)
          + ": downloaded .* in [0-9.]+ s \\(.*/s\\), 3 layers.*"), blobsOnly.toString());
      Cli.Result images = cli.run("images");
      assertTrue(images.out().contains(registry.host() + "/bio/tool") && images.out().contains(" 1.0 "), images.toString());
      Cli.Result json = cli.run("images", "--json");
      assertTrue(json.out().contains("\"digest\" : \"" + tool.manifestDigest() + "\""), json.toString());
      Cli.Result inspect = cli.run("inspect", "tool:1.0");
      assertEquals(0, inspect.exit(), inspect.toString());
      assertTrue(inspect.out().contains("\"diff_ids\""), inspect.toString());
    }
  }

  @Test
  void storeIsPrivateEvenUnderUmask000() throws Exception {
    for (Cli cli : Cli.everyUser(tmp)) {
      Cli.Result r = cli.shell("umask 000 && exec \"$NSROOT\" pull -q " + registry.host() + "/bio/tool:1.0");
      assertEquals(0, r.exit(), r.toString());
      // Image content keeps the image's own modes (a rootfs is the image's tree); it is private
      // because rootfs/ itself is.
      Path trees = cli.store().resolve("rootfs");
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(trees)));
      try (Stream<Path> all = Files.walk(cli.store())) {
        for (Path p : all.filter(p -> !p.startsWith(trees) || p.equals(trees)).toList()) {
          Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
          assertTrue(perms.stream().noneMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS")),
              p + " is " + PosixFilePermissions.toString(perms));
        }
      }
    }
  }

  @Test
  void twoProcessesPullingOneImageDownloadEachBlobOnce() throws Exception {
    TestImage big = image(4, 3_000_000);
    pusher.push("conc/tool", "1", big);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      for (int i = 0; i < 4; i++) {
        proxy.add("GET", "/blobs/" + big.layerDigest(i), FaultProxy.Fault.SLOW, 1, 5L);
      }
      Cli cli = Cli.everyUser(tmp).get(Cli.everyUser(tmp).size() - 1);
      String ref = proxy.host() + "/conc/tool:1";
      Process a = cli.processBuilder("pull", ref).redirectErrorStream(true).start();
      Process b = cli.processBuilder("pull", ref).redirectErrorStream(true).start();
      String outA = new String(a.getInputStream().readAllBytes());
      String outB = new String(b.getInputStream().readAllBytes());
      assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, a.exitValue(), outA);
      assertEquals(0, b.exitValue(), outB);
      for (int i = 0; i < 4; i++) {
        assertEquals(1, proxy.hits("GET", "/blobs/" + big.layerDigest(i)), "layer " + i + "\n" + outA + outB);
      }
      Cli.Result images = cli.run("images");
      assertEquals(2, images.out().lines().count(), images.toString());
    }
  }

  @Test
  void killDashNineMidPullLeavesAStoreInWhichThePullResumes() throws Exception {
    TestImage big = image(2, 6_000_000);
    pusher.push("kill/tool", "1", big);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/blobs/" + big.layerDigest(1), FaultProxy.Fault.SLOW, 1, 20L);
      Cli cli = Cli.everyUser(tmp).get(0);
      String ref = proxy.host() + "/kill/tool:1";
      Process p = cli.processBuilder("pull", ref).start();
      Path partial = cli.store().resolve("tmp/blob-sha256-" + big.layerDigest(1).substring(7) + ".partial");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!(Files.exists(partial) && Files.size(partial) > 1_000_000)) {
        assertTrue(System.nanoTime() < deadline && p.isAlive(), "the download never got going");
        Thread.sleep(20);
      }
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
      long had = Files.size(partial);
      Cli.Result images = cli.run("images");
      assertFalse(images.out().contains("kill/tool"), "a killed pull leaves no image that looks complete");
      Cli.Result again = cli.run("pull", ref);
      assertEquals(0, again.exit(), again.toString());
      assertTrue(had > 1_000_000);
      assertEquals(List.of("/v2/kill/tool/blobs/" + big.layerDigest(1) + " bytes=" + had + "-"), proxy.ranges(),
          "the second pull resumes where the killed one stopped: " + again);
      assertTrue(Files.exists(cli.store().resolve("blobs/sha256/" + big.layerDigest(1).substring(7))));
    }
  }

  @Test
  void everyFailureIsOneLineWithItsExitCode() throws Exception {
    Cli cli = Cli.everyUser(tmp).get(0);
    expect(cli.run("pull", "Bad/Name"), 2, "must be lowercase");
    expect(cli.run("pull", registry.host() + "/no/such:tag"), 3, "not found");
    expect(cli.run("pull", "127.0.0.1:" + LocalRegistry.freePort() + "/x:1"), 5, "cannot fetch");
    expect(cli.run("pull", "--offline", registry.host() + "/never/pulled:1"), 3, "offline");
    expect(cli.env("NSROOT_OFFLINE", "1").run("pull", registry.host() + "/never/pulled:1"), 3, "offline");
    cli.env("NSROOT_OFFLINE", "0");
    expect(cli.run("inspect", "nothing-here"), 3, "no image 'nothing-here'");
    expect(cli.run("pull", "--platform", "linux", "x"), 2, "invalid platform");
    expect(cli.run("pull", "--no-such-option", "x"), 2, "Unknown option");
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/blobs/" + tool.layerDigest(0), FaultProxy.Fault.FLIP_BYTE, -1, null);
      expect(cli.run("pull", proxy.host() + "/bio/tool:1.0"), 6, "digest mismatch for " + tool.layerDigest(0));
    }
    try (LocalRegistry secured = LocalRegistry.start(tmp.resolve("secured"), new String[] {"ann", "Secret-99"}, null, null)) {
      new RegistryPusher(secured.baseUri(), "ann", "Secret-99").push("private/tool", "1", image(1, 1000));
      expect(cli.run("pull", "--creds", "ann:wrong-pw-77", secured.host() + "/private/tool:1"), 4, "ann");
      Cli.Result ok = cli.run("pull", "--creds", "ann:Secret-99", secured.host() + "/private/tool:1");
      assertEquals(0, ok.exit(), ok.toString());
      assertFalse(ok.toString().contains("Secret-99"));
      assertFalse(org.nsroot.cli.testing.TestUser.anyFileContains(cli.store(), "Secret-99"));
    }
  }

  private static void expect(Cli.Result r, int exit, String text) {
    assertEquals(exit, r.exit(), r.toString());
    List<String> lines = new ArrayList<>(r.errLines());
    lines.removeIf(l -> l.startsWith("layer "));
    assertEquals(1, lines.size(), "one line: " + r);
    assertTrue(lines.get(0).startsWith("nsroot: ") && lines.get(0).contains(text), r.toString());
  }

  @Test
  void rmiAndPruneFreeWhatNoImageUses() throws Exception {
    Cli cli = Cli.everyUser(tmp).get(0);
    TestImage other = image(1, 5000);
    pusher.push("other/tool", "1", other);
    assertEquals(0, cli.run("pull", registry.host() + "/bio/tool:1.0").exit());
    assertEquals(0, cli.run("pull", registry.host() + "/other/tool:1").exit());
    Path blobs = cli.store().resolve("blobs/sha256");
    Cli.Result rmi = cli.run("rmi", "bio/tool:1.0");
    assertEquals(0, rmi.exit(), rmi.toString());
    assertTrue(rmi.out().contains("Removed " + registry.host() + "/bio/tool:1.0"), rmi.toString());
    for (int i = 0; i < 3; i++) {
      assertFalse(Files.exists(blobs.resolve(tool.layerDigest(i).substring(7))));
    }
    assertTrue(Files.exists(blobs.resolve(other.layerDigest(0).substring(7))), "blobs of other images stay");
    Files.writeString(cli.store().resolve("tmp/leftover"), "x");
    Files.writeString(blobs.resolve("a".repeat(64)), "orphan");
    Cli.Result prune = cli.run("prune");
    assertEquals(0, prune.exit(), prune.toString());
    assertFalse(Files.exists(blobs.resolve("a".repeat(64))));
    assertFalse(Files.exists(cli.store().resolve("tmp/leftover")));
    assertTrue(Files.exists(blobs.resolve(other.layerDigest(0).substring(7))));
    assertEquals(0, cli.run("pull", "--offline", registry.host() + "/other/tool:1").exit());
  }

  @Test
  void pruneEmptiesTmpWhateverModesWereLeftInIt() throws Exception {
    List<Cli> users = Cli.everyUser(tmp);
    Cli cli = users.get(users.size() - 1); // unprivileged: root would ignore the modes
    Path junk = cli.store().resolve("tmp/junk");
    Cli.Result r = cli.shell("mkdir -p '" + junk + "/a/b/c' && echo x > '" + junk + "/a/b/c/f'"
        + " && chmod 000 '" + junk + "/a/b' '" + junk + "/a' && \"$NSROOT\" prune");
    assertEquals(0, r.exit(), r.toString());
    assertFalse(Files.exists(junk), "a mode-000 tree inside a mode-000 directory is deleted too");
  }

  @Test
  void aFullDiskFailsThePullCleanlyAndLosesNothing() throws Exception {
    TestImage big = image(2, 3_000_000);
    pusher.push("disk/big", "1", big);
    TestImage small = image(1, 1000, Compression.GZIP);
    pusher.push("disk/small", "1", small);
    Cli cli = Cli.everyUser(tmp).get(Cli.everyUser(tmp).size() - 1);
    Path store = Files.createDirectories(tmp.resolve("tiny-" + System.nanoTime()));
    store.toFile().setWritable(true, false);
    // A 2 MiB tmpfs in a private mount namespace: a real ENOSPC, no root needed.
    String script = "unshare --user --map-root-user --mount sh -c '"
        + "mount -t tmpfs -o size=2m tmpfs " + store + " && export NSROOT_HOME=" + store + " && "
        + "\"$NSROOT\" pull -q " + registry.host() + "/disk/small:1 >/dev/null && "
        + "\"$NSROOT\" pull " + registry.host() + "/disk/big:1; echo \"exit=$?\"; "
        + "\"$NSROOT\" images; \"$NSROOT\" pull --offline -q " + registry.host() + "/disk/small:1; "
        + "echo tmp=$(ls " + store + "/tmp | wc -l)'";
    Cli.Result r = cli.shell(script);
    assertTrue(r.out().contains("exit=7"), r.toString());
    assertTrue(r.err().contains("the disk is full"), r.toString());
    assertTrue(r.out().contains("disk/small") && !r.out().contains("disk/big"), r.toString());
    assertTrue(r.out().contains(small.manifestDigest()), "the earlier image still verifies: " + r);
    assertTrue(r.out().contains("tmp=0"), "partial files are removed: " + r);
  }

  @Test
  void saveAndImportCarryAnImageToAMachineWithoutARegistry() throws Exception {
    List<Cli> users = Cli.everyUser(tmp);
    Cli here = users.get(0);
    Cli there = users.get(users.size() - 1);
    there.env("NSROOT_HOME", there.home() + "/offline-machine");
    assertEquals(0, here.run("pull", "-q", registry.host() + "/bio/tool:1.0").exit());
    Path archive = tmp.resolve("tool.tar");
    Cli.Result save = here.run("save", "tool:1.0", "-o", archive.toString());
    assertEquals(0, save.exit(), save.toString());
    for (String command : List.of("save", "export")) {
      // A full disk behind standard output fails the command (System.out would swallow it).
      expect(here.shell("exec \"$NSROOT\" " + command + " tool:1.0 -o - > /dev/full"), 7,
          "cannot write standard output: No space left on device");
    }
    archive.toFile().setReadable(true, false);
    Cli.Result imp = there.shell("exec \"$NSROOT\" import - < " + archive);
    assertEquals(0, imp.exit(), imp.toString());
    assertTrue(imp.out().contains("Imported " + registry.host() + "/bio/tool:1.0 (" + tool.manifestDigest() + ")"), imp.toString());
    Cli.Result offline = there.run("pull", "--offline", "-q", registry.host() + "/bio/tool:1.0");
    assertEquals(0, offline.exit(), offline.toString());
  }

  @Test
  void credentialHelpersNamedInDockerConfigAreAsked() throws Exception {
    try (LocalRegistry secured = LocalRegistry.start(tmp.resolve("helper-reg"), new String[] {"carl", "From-Helper-1"}, null, null)) {
      new RegistryPusher(secured.baseUri(), "carl", "From-Helper-1").push("helped/tool", "1", image(1, 1000));
      for (Cli cli : Cli.everyUser(tmp)) {
        Path bin = Path.of(cli.home(), "bin");
        Path docker = Path.of(cli.home(), ".docker");
        Cli.Result setup = cli.shell("mkdir -p " + bin + " " + docker + " && printf '%s\\n' '#!/bin/sh' "
            + "'read server; echo \"{\\\"ServerURL\\\":\\\"$server\\\",\\\"Username\\\":\\\"carl\\\",\\\"Secret\\\":\\\"From-Helper-1\\\"}\"' "
            + "> " + bin + "/docker-credential-nsroottest && chmod +x " + bin + "/docker-credential-nsroottest && "
            + "echo '{\"credHelpers\":{\"" + secured.host() + "\":\"nsroottest\"}}' > " + docker + "/config.json");
        assertEquals(0, setup.exit(), setup.toString());
        cli.env("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
        Cli.Result r = cli.run("pull", secured.host() + "/helped/tool:1");
        assertEquals(0, r.exit(), cli.who() + ": " + r);
        assertFalse(r.toString().contains("From-Helper-1"));
      }
    }
  }

  @Test
  void onATerminalProgressIsDrawnInPlace() throws Exception {
    Cli cli = Cli.everyUser(tmp).get(0);
    // script(1) gives nsroot a pseudo-terminal, as an interactive shell would.
    Cli.Result r = cli.shell("script -qec '\"$NSROOT\" pull " + registry.host() + "/bio/tool:1.0' /dev/null");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("\033[2K"), "lines are redrawn in place: " + r);
    assertTrue(r.out().matches("(?s).*layer 3/3 [0-9a-f]{12}  downloaded .*"), r.toString());
  }

  @Test
  void everyCommandHasHelp() throws Exception {
    Cli cli = Cli.everyUser(tmp).get(0);
    Cli.Result top = cli.run("--help");
    assertEquals(0, top.exit());
    for (String command : List.of("pull", "images", "inspect", "rmi", "prune", "import", "save", "login", "logout")) {
      assertTrue(top.out().contains(command), top.out());
      Cli.Result h = cli.run("help", command);
      assertEquals(0, h.exit(), h.toString());
      assertTrue(h.out().startsWith("Usage: nsroot " + command), h.out());
      assertEquals(0, cli.run(command, "--help").exit());
    }
    Cli.Result v = cli.run("--version");
    assertTrue(v.out().startsWith("nsroot "), v.toString());
  }
}
