package org.nsroot.fetch.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.pull.ImagePuller;
import org.nsroot.fetch.pull.PullListener;
import org.nsroot.fetch.pull.PullOptions;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.registry.ClientOptions;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.fetch.testing.Compression;
import org.nsroot.fetch.testing.Layouts;
import org.nsroot.fetch.testing.TarBuilder;
import org.nsroot.fetch.testing.TestImage;

/** Imports of files made by other tools (skopeo writes docker-save and OCI archives), and save. */
class ImportIT {
  @TempDir Path tmp;

  static TestImage image() throws IOException {
    return TestImage.oci()
        .layer(new TarBuilder().dir("bin").file("bin/tool", "#!/bin/sh\necho hi\n").build(), Compression.GZIP)
        .layer(new TarBuilder().file("etc/motd", "hello").build(), Compression.NONE)
        .build();
  }

  ImageImporter importer(Store store) {
    return new ImageImporter(store, Platform.parse("linux/amd64"));
  }

  void skopeo(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("skopeo"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  @Test
  void importsWhatSkopeoWritesDockerSaveAndOciArchive() throws Exception {
    TestImage img = image();
    Path layout = Layouts.ociDirectory(tmp.resolve("layout"), img, "tools/x:1");
    Path save = tmp.resolve("save.tar");
    Path archive = tmp.resolve("oci.tar");
    skopeo("copy", "-q", "oci:" + layout + ":tools/x:1", "docker-archive:" + save + ":tools/x:1");
    skopeo("copy", "-q", "oci:" + layout + ":tools/x:1", "oci-archive:" + archive + ":tools/x:1");
    Store store = Store.open(tmp.resolve("store"));
    StoredImage fromSave = importer(store).importFrom(save, null, null).get(0);
    assertEquals("docker.io/tools/x:1", fromSave.reference());
    StoredImage fromArchive = importer(store).importFrom(archive, null, "tools/y:2").get(0);
    assertEquals("docker.io/tools/y:2", fromArchive.reference());
    StoredImage fromDir = importer(store).importFrom(layout, null, null).get(0);
    assertEquals(img.manifestDigest(), fromDir.manifest().digest().toString(), "an OCI layout keeps its manifest");
    // docker save carries layers uncompressed: the plain layer is the very same blob in every form.
    assertTrue(store.hasBlob(Digest.parse(img.layerDigest(1)), img.layerBlobs.get(1).length));
    assertEquals(2, store.images().size(), "the layout's tools/x:1 replaced the docker save's");
    assertEquals(img.manifestDigest(), store.get("docker.io/tools/x:1").orElseThrow().manifest().digest().toString());
    PullOptions offline = PullOptions.defaults(ClientOptions.defaults(null)).withOffline(true);
    for (String ref : List.of("docker.io/tools/x:1", "docker.io/tools/y:2")) {
      assertEquals(2, new ImagePuller(store).pull(ImageReference.parse(ref), offline, PullListener.SILENT)
          .config().diffIds().size(), "an imported image is complete in the store: " + ref);
    }
  }

  @Test
  void importsPlainRootfsTarballsFromFilesAndStandardInput() throws Exception {
    byte[] rootfs = new TarBuilder().dir("bin").file("bin/sh", "not really a shell").build();
    Store store = Store.open(tmp.resolve("store"));
    Path plain = tmp.resolve("my-tool.tar");
    Files.write(plain, rootfs);
    StoredImage a = importer(store).importFrom(plain, null, null).get(0);
    assertEquals("localhost/imported/my-tool:latest", a.reference());
    Path gz = tmp.resolve("other.tar.gz");
    Files.write(gz, Compression.GZIP.compress(rootfs));
    StoredImage b = importer(store).importFrom(gz, null, null).get(0);
    assertEquals("localhost/imported/other:latest", b.reference());
    StoredImage c = importer(store).importFrom(null, new ByteArrayInputStream(rootfs), "piped/in:1").get(0);
    assertEquals("docker.io/piped/in:1", c.reference());
    for (StoredImage i : List.of(a, b, c)) {
      String config = inspectConfig(store, i);
      assertTrue(config.contains(TestImage.sha256(rootfs)), "diff_id is the uncompressed digest: " + config);
      assertTrue(config.contains("PATH=/usr/local/sbin"), config);
    }
  }

  @Test
  void saveWritesAnArchiveThatSkopeoAndAnotherStoreLoad() throws Exception {
    TestImage img = image();
    Store here = Store.open(tmp.resolve("here"));
    StoredImage stored = importer(here).importFrom(Layouts.ociDirectory(tmp.resolve("l"), img, "tools/z:3"), null, null).get(0);
    Path saved = tmp.resolve("saved.tar");
    try (OutputStream out = Files.newOutputStream(saved)) {
      new OciArchiveWriter(here).write(stored, out);
    }
    skopeo("inspect", "oci-archive:" + saved);
    Store there = Store.open(tmp.resolve("there"));
    StoredImage moved = importer(there).importFrom(saved, null, null).get(0);
    assertEquals(stored.reference(), moved.reference());
    assertEquals(stored.manifest().digest(), moved.manifest().digest());
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(img.layerBlobs.get(i), Files.readAllBytes(there.blobPath(Digest.parse(img.layerDigest(i)))));
    }
  }

  @Test
  void aDockerSaveOfSeveralImagesSharingALayerImportsThemAll() throws Exception {
    byte[] base = new TarBuilder().file("etc/os-release", "base").build();
    byte[] top = new TarBuilder().file("bin/tool", "tool").build();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("base/layer.tar", base);
    entries.put("top/layer.tar", top);
    entries.put("a.json", config(TestImage.sha256(base)));
    entries.put("b.json", config(TestImage.sha256(base), TestImage.sha256(top)));
    entries.put("manifest.json", ("[{\"Config\":\"a.json\",\"RepoTags\":[\"shared/a:1\"],\"Layers\":[\"base/layer.tar\"]},"
        + "{\"Config\":\"b.json\",\"RepoTags\":[\"shared/b:1\"],\"Layers\":[\"base/layer.tar\",\"top/layer.tar\"]}]")
        .getBytes(StandardCharsets.UTF_8));
    Path tar = tmp.resolve("two.tar");
    Layouts.tar(tar, entries);
    Store store = Store.open(tmp.resolve("store"));
    List<StoredImage> imported = importer(store).importFrom(tar, null, null);
    assertEquals(List.of("docker.io/shared/a:1", "docker.io/shared/b:1"), imported.stream().map(StoredImage::reference).toList());
    assertTrue(store.hasBlob(Digest.parse(TestImage.sha256(base)), base.length));
    try (Stream<Path> left = Files.list(store.tmp())) {
      assertEquals(0, left.count(), "staging is cleaned up");
    }
  }

  @Test
  void anArchiveImportsWholeOrNotAtAll() throws Exception {
    byte[] layer = new TarBuilder().file("a", "one").build();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("layer.tar", layer);
    entries.put("good.json", config(TestImage.sha256(layer)));
    entries.put("bad.json", config("sha256:" + "0".repeat(64)));
    entries.put("manifest.json", ("[{\"Config\":\"good.json\",\"RepoTags\":[\"first/ok:1\"],\"Layers\":[\"layer.tar\"]},"
        + "{\"Config\":\"bad.json\",\"RepoTags\":[\"second/bad:1\"],\"Layers\":[\"layer.tar\"]}]")
        .getBytes(StandardCharsets.UTF_8));
    Path tar = tmp.resolve("half.tar");
    Layouts.tar(tar, entries);
    Store store = Store.open(tmp.resolve("store"));
    assertThrows(ContentMismatchException.class, () -> importer(store).importFrom(tar, null, null));
    assertTrue(store.images().isEmpty(), "the good first image is not recorded either");
  }

  private static byte[] config(String... diffIds) {
    return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[\"" + String.join("\",\"", diffIds) + "\"]}}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLayerThatDoesNotMatchItsDiffIdIsRefusedAndNothingIsRecorded() throws Exception {
    byte[] layer = new TarBuilder().file("a", "real").build();
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[\"sha256:" + "0".repeat(64) + "\"]}}").getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("layer.tar", layer);
    entries.put("config.json", config);
    entries.put("manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[\"bad/diff:1\"],\"Layers\":[\"layer.tar\"]}]"
        .getBytes(StandardCharsets.UTF_8));
    Path tar = tmp.resolve("bad.tar");
    Layouts.tar(tar, entries);
    Store store = Store.open(tmp.resolve("store"));
    ContentMismatchException e = assertThrows(ContentMismatchException.class, () -> importer(store).importFrom(tar, null, null));
    assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("0".repeat(64)), e.getMessage());
    assertTrue(store.images().isEmpty());
  }

  @Test
  void hostileArchivesAreRefusedWithoutTouchingTheHost() throws Exception {
    Store store = Store.open(tmp.resolve("store"));
    Map<String, byte[]> badBlob = new LinkedHashMap<>();
    badBlob.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    badBlob.put("index.json", "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8));
    badBlob.put("blobs/sha256/" + "a".repeat(64), "not what the name says".getBytes(StandardCharsets.UTF_8));
    Path t1 = tmp.resolve("t1.tar");
    Layouts.tar(t1, badBlob);
    assertTrue(assertThrows(ContentMismatchException.class, () -> importer(store).importFrom(t1, null, null))
        .getMessage().contains("a".repeat(64)));

    Map<String, byte[]> traversal = new LinkedHashMap<>(badBlob);
    traversal.remove("blobs/sha256/" + "a".repeat(64));
    traversal.put("blobs/sha256/../../../../tmp/evil", "x".getBytes(StandardCharsets.UTF_8));
    Path t2 = tmp.resolve("t2.tar");
    Layouts.tar(t2, traversal);
    assertTrue(assertThrows(ImportException.class, () -> importer(store).importFrom(t2, null, null))
        .getMessage().contains("not a valid digest"));

    Map<String, byte[]> escape = new LinkedHashMap<>();
    escape.put("manifest.json", "[{\"Config\":\"../../../etc/passwd\",\"RepoTags\":[\"x:1\"],\"Layers\":[]}]"
        .getBytes(StandardCharsets.UTF_8));
    Path t3 = tmp.resolve("t3.tar");
    Layouts.tar(t3, escape);
    assertTrue(assertThrows(ImportException.class, () -> importer(store).importFrom(t3, null, null))
        .getMessage().contains("lacks '../../../etc/passwd'"));
    assertTrue(store.images().isEmpty());
    try (Stream<Path> left = Files.list(store.tmp())) {
      assertEquals(0, left.count(), "staging is cleaned up");
    }
  }

  private static String inspectConfig(Store store, StoredImage i) throws Exception {
    String manifest = new String(store.readBlob(i.manifest().digest(), 1 << 20), StandardCharsets.UTF_8);
    String configDigest = manifest.replaceAll("(?s).*\"config\":\\{[^}]*\"digest\":\"(sha256:[0-9a-f]+)\".*", "$1");
    return new String(store.readBlob(Digest.parse(configDigest), 1 << 20), StandardCharsets.UTF_8);
  }
}
