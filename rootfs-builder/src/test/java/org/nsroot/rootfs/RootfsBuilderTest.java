package org.nsroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.tar.TarWriter;
import org.nsroot.rootfs.testing.Build;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.rootfs.testing.Layers;
import org.nsroot.rootfs.testing.Snapshot;
import org.nsroot.rootfs.testing.TarBuilder;

/** Semantics of flattening (issue 3 "Flatten"), each against a case a naive extractor gets wrong. */
class RootfsBuilderTest {
  @TempDir Path tmp;

  private Path work() {
    return tmp.resolve("work");
  }

  private Path dest() {
    return tmp.resolve("dest");
  }

  private Map<String, Snapshot.Node> build(byte[]... tars) throws RootfsException {
    Build.of(work(), dest(), tars);
    return Snapshot.of(dest());
  }

  @Test
  void whiteoutsRemoveLowerNamesAndLeaveNoMarker() throws Exception {
    byte[] l1 = TarBuilder.posix().dir("a", 0755).file("a/f", "f", 0644).file("a/g", "g", 0644)
        .dir("b", 0755).dir("b/c", 0500).file("b/c/x", "x", 0444).build();
    byte[] l2 = TarBuilder.posix().file("a/.wh.f", "", 0644).file(".wh.b", "", 0644)
        .file("a/.wh.missing", "", 0644).dir(".wh.etc", 0755).file(".wh.etc/somefile", "s", 0644).build();
    Map<String, Snapshot.Node> s = build(l1, l2);
    assertFalse(s.containsKey("a/f"));
    assertTrue(s.containsKey("a/g"));
    assertFalse(s.containsKey("b"), "a whiteout removes a whole directory, 0500 subdirs included");
    assertTrue(s.containsKey(".wh.etc/somefile"), "a .wh. prefix in a directory component is ordinary");
    assertTrue(s.keySet().stream().noneMatch(k -> k.endsWith(".wh.f") || k.contains(".wh.b")
        || k.contains(".wh.missing")));
  }

  @Test
  void aWhiteoutInsideADirectoryDoesNotShieldThatDirectoryFromItsOwnWhiteout() throws Exception {
    byte[] l1 = TarBuilder.posix().dir("d", 0755).dir("d/sub", 0755).file("d/sub/x", "x", 0644)
        .file("d/sub/y", "y", 0644).build();
    byte[] l2 = TarBuilder.posix().file("d/sub/.wh.x", "", 0644).file("d/.wh.sub", "", 0644).build();
    Map<String, Snapshot.Node> s = build(l1, l2);
    assertTrue(s.containsKey("d"));
    assertFalse(s.containsKey("d/sub"), "looking d/sub up for a whiteout is not writing it");
  }

  @Test
  void opaqueHidesOnlyLowerLayersWhereverItIsInTheStream() throws Exception {
    byte[] l1 = TarBuilder.posix().dir("before", 0755).file("before/old", "o", 0644)
        .dir("after", 0755).file("after/old", "o", 0644).dir("after/sub", 0755)
        .file("after/sub/old2", "o", 0644).build();
    byte[] l2 = TarBuilder.posix()
        .dir("before", 0755).file("before/.wh..wh..opq", "", 0644).file("before/new", "n", 0644)
        .dir("after", 0755).file("after/new", "n", 0644).dir("after/sub", 0755)
        .file("after/sub/new2", "n", 0644).file("after/.wh..wh..opq", "", 0644).build();
    Map<String, Snapshot.Node> s = build(l1, l2);
    assertTrue(s.containsKey("before/new"));
    assertFalse(s.containsKey("before/old"));
    assertTrue(s.containsKey("after/new"), "same-layer content before the marker survives");
    assertTrue(s.containsKey("after/sub/new2"));
    assertFalse(s.containsKey("after/old"));
    assertFalse(s.containsKey("after/sub/old2"), "lower content of a merged subdirectory is hidden too");
    assertTrue(s.keySet().stream().noneMatch(k -> k.contains(".wh.")));
  }

  @Test
  void laterLayerWinsAcrossTypeReplacements() throws Exception {
    byte[] l1 = TarBuilder.posix().file("f2d", "file", 0644).dir("d2f", 0755).file("d2f/x", "x", 0644)
        .symlink("l2d", "/etc").dir("d2l", 0755).file("d2l/y", "y", 0644).file("f2l", "keep?", 0644)
        .symlink("l2f", "target").build();
    byte[] l2 = TarBuilder.posix().dir("f2d", 0700).file("f2d/in", "in", 0644).file("d2f", "now a file", 0600)
        .dir("l2d", 0755).file("l2d/z", "z", 0644).symlink("d2l", "/usr").symlink("f2l", "elsewhere")
        .file("l2f", "data", 0644).build();
    Map<String, Snapshot.Node> s = build(l1, l2);
    assertEquals('d', s.get("f2d").type());
    assertEquals(0700, s.get("f2d").perm());
    assertEquals('f', s.get("d2f").type());
    assertFalse(s.containsKey("d2f/x"));
    assertEquals('d', s.get("l2d").type());
    assertTrue(s.containsKey("l2d/z"));
    assertFalse(s.containsKey("etc/z"), "the directory entry replaced the symlink, nothing went through it");
    assertEquals("/usr", s.get("d2l").link());
    assertEquals("elsewhere", s.get("f2l").link());
    assertEquals('f', s.get("l2f").type());
    assertEquals(4, s.get("l2f").size());
  }

  @Test
  void replacingAFileUnlinksItSoHardlinksKeepTheOldContent() throws Exception {
    byte[] l1 = TarBuilder.posix().file("orig", "old content", 0644).hardlink("twin", "orig").build();
    byte[] l2 = TarBuilder.posix().file("orig", "new", 0644).build();
    Map<String, Snapshot.Node> s = build(l1, l2);
    assertEquals(3, s.get("orig").size());
    assertEquals(11, s.get("twin").size(), "never truncated in place");
    assertNotEquals(s.get("orig").ino(), s.get("twin").ino());
  }

  @Test
  void modesAreKeptExactlyAndReadOnlyDirectoriesTakeLaterChildren() throws Exception {
    byte[] l1 = TarBuilder.posix().file("shadow", "secret", 0000).file("suid", "s", 04755)
        .file("sgid", "g", 02711).dir("sticky", 01777).dir("ro", 0555).file("ro/a", "a", 0644)
        .dir("locked", 0000).dir("locked/inner", 0500).build();
    byte[] l2 = TarBuilder.posix().file("ro/b", "b", 0644).file("locked/inner/c", "c", 0600).build();
    Build b = Build.of(work(), dest(), l1, l2);
    Map<String, Snapshot.Node> s = Snapshot.of(dest());
    assertEquals(0000, s.get("shadow").perm());
    assertEquals(6, s.get("shadow").size(), "content of a mode-0000 file is still there");
    assertEquals(04755, s.get("suid").perm());
    assertEquals(02711, s.get("sgid").perm());
    assertEquals(01777, s.get("sticky").perm());
    assertEquals(0555, s.get("ro").perm());
    assertTrue(s.containsKey("ro/b"));
    assertEquals(0000, s.get("locked").perm(), "mode restored after the later layer wrote into it");
    assertEquals(0500, s.get("locked/inner").perm());
    assertTrue(s.containsKey("locked/inner/c"));
    assertTrue(b.summaries.get(0).contains("2 setuid/setgid kept"), b.summaries.get(0));
    RootfsRemover.remove(dest());
    assertFalse(Files.exists(dest(), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void mtimesAreKeptForFilesLinksAndDirectoriesAfterTheirChildren() throws Exception {
    TarBuilder t = TarBuilder.posix().mtime(1_000_000_000L).dir("d", 0755).mtime(1_100_000_000L)
        .file("d/f", "x", 0644).symlink("d/l", "f").fifo("d/p", 0600);
    ByteArrayOutputStream nanos = new ByteArrayOutputStream();
    TarWriter w = new TarWriter(nanos);
    w.member("nanos".getBytes(StandardCharsets.US_ASCII), '0', 0644, 1, 1234567890L, 123456789, null);
    w.data(new byte[] {'n'}, 0, 1);
    w.endData();
    w.finish();
    Map<String, Snapshot.Node> s = build(t.build(), nanos.toByteArray());
    assertEquals(1_000_000_000L, s.get("d").mtime(), "directory mtime set after its children were created");
    assertEquals(1_100_000_000L, s.get("d/f").mtime());
    assertEquals(1_100_000_000L, s.get("d/l").mtime(), "symlink's own mtime");
    assertEquals(1_100_000_000L, s.get("d/p").mtime());
    assertEquals(1234567890L, s.get("nanos").mtime());
    assertEquals(123456789, s.get("nanos").mtimeNsec(), "PAX sub-second time");
  }

  @Test
  void hardlinksAcrossLayersToFilesAndToSymlinkInodes() throws Exception {
    byte[] l1 = TarBuilder.posix().dir("usr/bin", 0755).file("usr/bin/perlbug", "perl", 0755)
        .symlink("sym", "usr/bin/perlbug").file("victim", "v", 0644).build();
    byte[] l2 = TarBuilder.posix().hardlink("usr/bin/perlthanks", "/usr/bin/perlbug")
        .hardlink("symtwin", "sym").file("replaced", "r", 0644).build();
    byte[] l3 = TarBuilder.posix().hardlink("replaced", "victim").hardlink("victim", "victim").build();
    Map<String, Snapshot.Node> s = build(l1, l2, l3);
    assertEquals(s.get("usr/bin/perlbug").ino(), s.get("usr/bin/perlthanks").ino());
    assertEquals(2, s.get("usr/bin/perlbug").nlink());
    assertEquals('l', s.get("symtwin").type(), "a hardlink to a symlink links the symlink inode");
    assertEquals(s.get("sym").ino(), s.get("symtwin").ino());
    assertEquals(s.get("victim").ino(), s.get("replaced").ino(), "a hardlink replaces an existing path");
    assertEquals(1, s.get("victim").size(), "a self-link leaves the file alone");
  }

  @Test
  void symlinksAreKeptExactlyAndNeverFollowed() throws Exception {
    byte[] l1 = TarBuilder.posix().symlink("abs", "/etc/passwd").symlink("rel", "../lib/ld-linux.so.2")
        .symlink("dangling", "doesnotexist").symlink("self", "self").symlink("up", "../../../../x")
        .dir("var", 0755).symlink("var/run", "/run").build();
    byte[] l2 = TarBuilder.posix().file("var/run/existing/non-existing/file", "in root", 0644).build();
    Map<String, Snapshot.Node> s = build(l1, l2);
    assertEquals("/etc/passwd", s.get("abs").link());
    assertEquals("../lib/ld-linux.so.2", s.get("rel").link());
    assertEquals("doesnotexist", s.get("dangling").link());
    assertEquals("self", s.get("self").link());
    assertEquals("../../../../x", s.get("up").link(), "a climbing link is kept when nothing goes through it");
    assertEquals("/run", s.get("var/run").link());
    assertTrue(s.containsKey("run/existing/non-existing/file"), "absolute symlink resolved inside the rootfs");
  }

  @Test
  void aSiblingAfterAPathThroughASymlinkResolvesFromItsOwnParent() throws Exception {
    // The resolver's cursor must not keep the physical chain a symlink jumped to: var/lib after
    // var/run/pid (var/run -> /run) is var/lib, not run/lib.
    byte[] l1 = TarBuilder.posix().dir("var", 0755).dir("run", 0755).symlink("var/run", "/run")
        .file("var/run/pid", "1", 0644).dir("var/lib", 0755).file("var/lib/x", "x", 0644)
        .dir("a", 0755).dir("a/b", 0755).symlink("a/b/up", "../..").file("a/b/up/top", "t", 0644)
        .file("a/b/y", "y", 0644).build();
    Map<String, Snapshot.Node> s = build(l1);
    assertTrue(s.containsKey("run/pid"));
    assertTrue(s.containsKey("var/lib/x"));
    assertFalse(s.containsKey("run/lib"));
    assertTrue(s.containsKey("top"));
    assertTrue(s.containsKey("a/b/y"), "a relative climb must not leave the cursor at the root");
    assertFalse(s.containsKey("y"));
  }

  @Test
  void longUnicodeAndNonUtf8NamesAreKeptByteForByte() throws Exception {
    String longName = "l/" + "x".repeat(120) + "/" + "y".repeat(200);
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
    byte[] junk = {(byte) 0xff, (byte) 0xfe, 'n'};
    String longLatin = "dir" + TarBuilder.raw(latin1) + "/" + "z".repeat(150) + TarBuilder.raw(junk);
    byte[] gnu = TarBuilder.gnuBytes().file(TarBuilder.raw(latin1), "latin1", 0644)
        .file(TarBuilder.raw(junk), "junk", 0644).file(longLatin, "long", 0644)
        .symlink("lnk", "t/" + "q".repeat(140) + TarBuilder.raw(junk)).file("a\nb\\c", "nl", 0644).build();
    byte[] pax = TarBuilder.posix().file(longName, "long", 0644).file("données/δ.txt", "utf8", 0644)
        .symlink("plink", "données/" + "é".repeat(80)).build();
    // Raw bytes in PAX path records, as Go's archive/tar writes non-UTF-8 names.
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    TarWriter w = new TarWriter(raw);
    byte[] rawPax = ("p/" + "w".repeat(110) + "\u0000").getBytes(StandardCharsets.ISO_8859_1);
    rawPax[rawPax.length - 1] = (byte) 0xe9;
    w.member(rawPax, '0', 0644, 1, TarBuilder.T0, 0, null);
    w.data(new byte[] {'p'}, 0, 1);
    w.endData();
    w.finish();
    Map<String, Snapshot.Node> s = build(gnu, pax, raw.toByteArray());
    assertTrue(s.containsKey(TarBuilder.raw(latin1)));
    assertTrue(s.containsKey(TarBuilder.raw(junk)));
    assertTrue(s.containsKey(longLatin));
    assertEquals("t/" + "q".repeat(140) + TarBuilder.raw(junk), s.get("lnk").link());
    assertTrue(s.containsKey("a\nb\\c"));
    assertTrue(s.containsKey(longName));
    assertTrue(s.containsKey(TarBuilder.utf8("données/δ.txt")));
    assertEquals(TarBuilder.utf8("données/" + "é".repeat(80)), s.get("plink").link());
    assertTrue(s.containsKey(TarBuilder.raw(rawPax)), "raw non-UTF-8 bytes of a PAX path record");
  }

  @Test
  void userXattrsKeptOthersSkippedAndCounted() throws Exception {
    byte[] l = TarBuilder.posix().file("f", "x".getBytes(StandardCharsets.UTF_8), 0644,
        Map.of("SCHILY.xattr.user.foo", "bar", "SCHILY.xattr.security.capability", "cap",
            "SCHILY.xattr.trusted.overlay.opaque", "y")).build();
    Build b = Build.of(work(), dest(), l);
    assertEquals(1, b.report.layers().get(0).xattrsKept());
    assertEquals(2, b.report.layers().get(0).xattrsSkipped());
    byte[] v = (byte[]) Files.getAttribute(dest().resolve("f"), "user:foo");
    assertEquals("bar", new String(v, StandardCharsets.UTF_8));
  }

  @Test
  void devicesSkippedWithOneWarningFifosCreated() throws Exception {
    byte[] l = TarBuilder.posix().dir("dev", 0755).device("dev/null", false, 1, 3)
        .device("dev/mem", false, 1, 1).device("dev/sda", true, 8, 0).fifo("pipe", 0640).build();
    Build b = Build.of(work(), dest(), l);
    Map<String, Snapshot.Node> s = Snapshot.of(dest());
    assertFalse(s.containsKey("dev/null"));
    assertEquals('p', s.get("pipe").type());
    assertEquals(0640, s.get("pipe").perm());
    assertEquals(3, b.report.devicesSkipped());
    assertEquals(1, b.warnings.stream().filter(w -> w.contains("device")).count(), b.warnings.toString());
    assertTrue(b.summaries.get(0).contains("3 devices skipped"));
  }

  @Test
  void lenientOnRootEntriesEmptyNamesAbsoluteNamesAndDuplicateLayers() throws Exception {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    TarWriter w = new TarWriter(raw);
    for (String n : List.of("./", "/", "", "////etc/x", "./a")) {
      boolean dir = n.endsWith("/");
      w.member(n.getBytes(StandardCharsets.US_ASCII), dir ? '5' : '0', dir ? 0750 : 0644, dir ? 0 : 1,
          TarBuilder.T0, 0, null);
      if (!dir) {
        w.data(new byte[] {'x'}, 0, 1);
        w.endData();
      }
    }
    w.finish();
    byte[] a = raw.toByteArray();
    byte[] b = TarBuilder.posix().file(".wh.a", "", 0644).build();
    Build run = Build.of(work(), dest(), a, b, a);
    Map<String, Snapshot.Node> s = Snapshot.of(dest());
    assertTrue(s.containsKey("a"), "the repeated layer is applied again after the whiteout");
    assertTrue(s.containsKey("etc/x"));
    assertEquals(0750, Files.getAttribute(dest(), "unix:mode", LinkOption.NOFOLLOW_LINKS) instanceof Integer m ? m & 07777 : -1);
    LayerStats first = run.report.layers().get(0);
    assertEquals(1, first.emptyNamesSkipped());
    assertEquals(2, first.rootEntries());
    assertEquals(1, first.absoluteNamesFixed());
    assertTrue(run.warnings.stream().anyMatch(m -> m.contains("empty name")));
  }

  @Test
  void mountPointsAndEtcFilesAreAddedButNeverThroughSymlinks() throws Exception {
    byte[] l = TarBuilder.posix().dir("etc", 0755).symlink("etc/resolv.conf", "/run/systemd/resolve/stub")
        .symlink("tmp", "/var/tmp").build();
    Build b = Build.of(work(), dest(), l);
    Map<String, Snapshot.Node> s = Snapshot.of(dest());
    for (String d : List.of(".old_root", "proc", "dev", "sys", "tmp")) {
      assertEquals('d', s.get(d).type(), d);
    }
    assertEquals(01777, s.get("tmp").perm());
    assertEquals('f', s.get("etc/hosts").type());
    assertEquals(0, s.get("etc/hosts").size());
    assertEquals("/run/systemd/resolve/stub", s.get("etc/resolv.conf").link());
    assertFalse(s.containsKey("run/systemd/resolve/stub"), "nothing written through the symlink");
    assertTrue(b.warnings.stream().anyMatch(w -> w.contains("/tmp")));
  }

  @Test
  void compressionIsSniffedNotTrusted() throws Exception {
    byte[] tar = TarBuilder.posix().file("z", "zstd", 0644).build();
    byte[] tar2 = TarBuilder.posix().file("p", "plain", 0644).build();
    byte[] tar3 = TarBuilder.posix().file("m", "multi-member gzip", 0644).file("m2", "second member", 0644).build();
    byte[] gz = concat(Layers.compress(java.util.Arrays.copyOf(tar3, 1024), Layers.Codec.GZIP),
        Layers.compress(java.util.Arrays.copyOfRange(tar3, 1024, tar3.length), Layers.Codec.GZIP));
    List<LayerSource> layers = List.of(Layers.of("zstd", tar, Layers.Codec.ZSTD),
        Layers.of("plain", tar2, Layers.Codec.NONE),
        new LayerSource("pigz", Layers.diffId(tar3), () -> new ZeroAvailable(gz)));
    BuildReport r = new RootfsBuilder().build(layers, work(), dest(), BuildListener.NONE);
    Map<String, Snapshot.Node> s = Snapshot.of(dest());
    assertTrue(s.containsKey("z") && s.containsKey("p") && s.containsKey("m2"));
    assertEquals("zstd", r.layers().get(0).compression());
    assertEquals("none", r.layers().get(1).compression());
  }

  /** available() is 0 at every member boundary: the JDK GZIPInputStream stopped there (B3). */
  static final class ZeroAvailable extends ByteArrayInputStream {
    ZeroAvailable(byte[] b) {
      super(b);
    }

    @Override
    public synchronized int available() {
      return 0;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      return super.read(b, off, Math.min(len, 100));
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Test
  void diffIdMismatchFailsAndLeavesNothing() throws Exception {
    byte[] tar = TarBuilder.posix().file("f", "x", 0644).build();
    byte[] other = TarBuilder.posix().file("f", "y", 0644).build();
    LayerSource bad = Layers.raw("layer 1/1 sha256:abc", Layers.compress(tar, Layers.Codec.GZIP), Layers.diffId(other));
    DigestMismatchException e = assertThrows(DigestMismatchException.class,
        () -> new RootfsBuilder().build(List.of(bad), work(), dest(), BuildListener.NONE));
    assertTrue(e.getMessage().contains("layer 1/1"));
    assertTrue(e.getMessage().contains(Layers.sha256(tar)) && e.getMessage().contains(Layers.sha256(other)));
    assertNoTrace();
  }

  @Test
  void sha512DiffIdsAreVerifiedWithSha512() throws Exception {
    byte[] tar = TarBuilder.posix().file("f", "x", 0644).build();
    String sha512 = "sha512:" + java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-512").digest(tar));
    new RootfsBuilder().build(List.of(Layers.raw("layer 1/1", tar, Digest.parse(sha512))), work(), dest(), BuildListener.NONE);
    assertTrue(Files.isRegularFile(dest().resolve("f")));

    String wrong = "sha512:" + "0".repeat(128);
    Path other = tmp.resolve("other");
    DigestMismatchException e = assertThrows(DigestMismatchException.class, () -> new RootfsBuilder()
        .build(List.of(Layers.raw("layer 1/1", tar, Digest.parse(wrong))), work(), other, BuildListener.NONE));
    assertTrue(e.getMessage().contains(sha512), e.getMessage());
    assertFalse(Files.exists(other));
  }

  @Test
  void aStreamFailingInLayer3Of5LeavesNoRootfsAndNoPartialTree() throws Exception {
    List<LayerSource> layers = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      TarBuilder t = TarBuilder.posix();
      for (int f = 0; f < 50; f++) {
        t.file("l" + i + "/f" + f, "x".repeat(5000), 0644);
      }
      byte[] tar = t.build();
      byte[] gz = Layers.compress(tar, Layers.Codec.GZIP);
      String desc = "layer " + i + "/5";
      if (i == 3) {
        layers.add(new LayerSource(desc, Layers.diffId(tar), () -> new FailingStream(gz, gz.length / 2)));
      } else {
        layers.add(Layers.raw(desc, gz, Layers.diffId(tar)));
      }
    }
    RootfsException e = assertThrows(RootfsException.class,
        () -> new RootfsBuilder().build(layers, work(), dest(), BuildListener.NONE));
    assertTrue(e.getMessage().contains("layer 3/5"), e.getMessage());
    assertTrue(e.getMessage().contains("download digest mismatch"), e.getMessage());
    assertNoTrace();
  }

  /** A download that fails its own digest check halfway. */
  static final class FailingStream extends InputStream {
    private final InputStream in;
    private int left;

    FailingStream(byte[] b, int failAt) {
      in = new ByteArrayInputStream(b);
      left = failAt;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("download digest mismatch");
      }
      int n = in.read(b, off, Math.min(len, left));
      left -= n;
      return n;
    }
  }

  @Test
  void failuresToOpenOrCloseTheLayerStreamFailTheBuild() throws Exception {
    byte[] tar = TarBuilder.posix().file("f", "x", 0644).build();
    byte[] gz = Layers.compress(tar, Layers.Codec.GZIP);
    LayerSource cannotOpen = new LayerSource("layer 1/1", Layers.diffId(tar), () -> {
      throw new IOException("blob missing from the store");
    });
    RootfsException e = assertThrows(RootfsException.class,
        () -> new RootfsBuilder().build(List.of(cannotOpen), work(), dest(), BuildListener.NONE));
    assertTrue(e.getMessage().contains("layer 1/1: cannot open the layer: blob missing"), e.getMessage());
    LayerSource badClose = new LayerSource("layer 1/1", Layers.diffId(tar), () -> new ByteArrayInputStream(gz) {
      @Override
      public void close() throws IOException {
        throw new IOException("download digest mismatch at close");
      }
    });
    e = assertThrows(RootfsException.class,
        () -> new RootfsBuilder().build(List.of(badClose), work(), dest(), BuildListener.NONE));
    assertTrue(e.getMessage().contains("reading the layer failed: download digest mismatch at close"), e.getMessage());
    assertNoTrace();
  }

  @Test
  void finalDirThatExistsIsRefusedAndKept() throws Exception {
    Files.createDirectories(dest());
    Files.writeString(dest().resolve("keep"), "k");
    assertThrows(RootfsException.class, () -> Build.of(work(), dest(), TarBuilder.posix().file("f", "x", 0644).build()));
    assertEquals("k", Files.readString(dest().resolve("keep")));
  }

  private void assertNoTrace() throws IOException {
    assertFalse(Files.exists(dest(), LinkOption.NOFOLLOW_LINKS), "no finalDir");
    try (Stream<Path> s = Files.list(work())) {
      assertEquals(List.of(), s.toList(), "no partial tree in the work directory");
    }
  }

  @Test
  void exportRoundTripsThroughABuild() throws Exception {
    byte[] junk = {'n', (byte) 0xff};
    byte[] l1 = TarBuilder.gnuBytes().dir("d", 0750).file("d/f", "content", 04755)
        .hardlink("d/h", "d/f").symlink("s", "/d/f").fifo("p", 0600).file("z".repeat(150), "long", 0400)
        .file(TarBuilder.raw(junk), "j", 0000).build();
    Build.of(work(), dest(), l1);
    Files.writeString(dest().resolve(".old_root/leftover"), "must not be exported");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RootfsExporter.export(dest(), out);
    Path again = tmp.resolve("again");
    Build.of(tmp.resolve("work2"), again, out.toByteArray());
    Map<String, Snapshot.Node> a = Snapshot.of(dest());
    Map<String, Snapshot.Node> b = Snapshot.of(again);
    a.remove(".old_root/leftover");
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertEquals(a.get(k).shape(), b.get(k).shape(), k);
      if (a.get(k).type() != 'd') {
        assertEquals(a.get(k).mtime(), b.get(k).mtime(), k);
      }
    }
    assertEquals(b.get("d/f").ino(), b.get("d/h").ino(), "hardlinks exported as hardlinks");
    // Commons Compress reads it too (docker import uses Go's archive/tar; both are standard ustar/PAX).
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
        new ByteArrayInputStream(out.toByteArray()))) {
      int n = 0;
      while (in.getNextEntry() != null) {
        n++;
      }
      assertEquals(a.size(), n);
    }
  }

  @Test
  void removerDeletesAnyModesAndNeverFollowsSymlinks() throws Exception {
    Path outside = tmp.resolve("outside");
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("keep"), "k");
    Path t = tmp.resolve("tree");
    Files.createDirectories(t);
    Files.createSymbolicLink(t.resolve("link"), outside);
    Files.createDirectories(t.resolve("locked/inner"));
    Files.writeString(t.resolve("locked/inner/f"), "f");
    Files.setPosixFilePermissions(t.resolve("locked/inner"), java.util.Set.of());
    Files.setPosixFilePermissions(t.resolve("locked"), java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
    RootfsRemover.remove(t);
    assertFalse(Files.exists(t, LinkOption.NOFOLLOW_LINKS));
    assertEquals("k", Files.readString(outside.resolve("keep")));
    Files.createSymbolicLink(tmp.resolve("toplink"), outside);
    RootfsRemover.remove(tmp.resolve("toplink"));
    assertTrue(Files.exists(outside.resolve("keep")), "a symlink given to remove() is unlinked, not followed");
  }

  @Test
  void tenThousandDeepTreeBuildsAndIsRemoved() throws Exception {
    String name = "a/".repeat(10_000) + "leaf";
    byte[] l = TarBuilder.posix().file(name, "deep", 0644).build();
    Build.of(work(), dest(), l);
    // Far beyond PATH_MAX: walk down one directory at a time, as the builder does.
    int flags = Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW;
    int fd = Posix.open(dest(), flags);
    byte[] a = {'a'};
    for (int i = 0; i < 10_000; i++) {
      int next = Posix.openat(fd, a, flags, 0);
      Posix.close(fd);
      fd = next;
    }
    org.nsroot.rootfs.posix.Stat leaf = Posix.statx(fd, "leaf".getBytes(StandardCharsets.US_ASCII));
    Posix.close(fd);
    assertTrue(leaf.isRegular());
    assertEquals(4, leaf.size);
    RootfsRemover.remove(dest());
    assertFalse(Files.exists(dest(), LinkOption.NOFOLLOW_LINKS));
  }
}
