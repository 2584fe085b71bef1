package org.nsroot.fetch.pull;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.auth.CredentialResolver;
import org.nsroot.fetch.auth.RegistryCredential;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.NoMatchingPlatformException;
import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.registry.ClientOptions;
import org.nsroot.fetch.registry.RegistryAuthException;
import org.nsroot.fetch.registry.RegistryException;
import org.nsroot.fetch.registry.RegistryNotFoundException;
import org.nsroot.fetch.registry.RegistryUnavailableException;
import org.nsroot.fetch.registry.RetryPolicy;
import org.nsroot.fetch.store.NotInStoreException;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.fetch.testing.Compression;
import org.nsroot.fetch.testing.FaultProxy;
import org.nsroot.fetch.testing.LocalRegistry;
import org.nsroot.fetch.testing.RegistryPusher;
import org.nsroot.fetch.testing.TarBuilder;
import org.nsroot.fetch.testing.TestImage;

/** Pulls against a real Distribution registry, with a fault-injecting proxy where a fault is needed. */
class PullIT {
  static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(3));
  static LocalRegistry registry;
  static RegistryPusher pusher;
  static Path registryDir;

  @TempDir Path tmp;

  @BeforeAll
  static void startRegistry() throws Exception {
    registryDir = Files.createTempDirectory("nsroot-registry");
    registry = LocalRegistry.start(registryDir);
    pusher = new RegistryPusher(registry.baseUri());
  }

  @AfterAll
  static void stopRegistry() throws IOException {
    registry.close();
    org.nsroot.fetch.store.TreeDeleter.delete(registryDir);
  }

  static ClientOptions client(Map<String, String> env, RegistryCredential creds) {
    Map<String, String> e = new HashMap<>(env);
    return new ClientOptions(false, null, new CredentialResolver(creds, e), FAST,
        Duration.ofSeconds(5), Duration.ofSeconds(5), e);
  }

  PullOptions options() {
    return PullOptions.defaults(client(Map.of("HOME", tmp.toString()), null)).withPlatform(Platform.parse("linux/amd64"));
  }

  static TestImage image(boolean oci, Compression... layers) throws IOException {
    TestImage img = oci ? TestImage.oci() : TestImage.docker();
    int i = 0;
    for (Compression c : layers) {
      byte[] big = new byte[200_000 + i * 1000];
      new Random(i + (oci ? 100 : 0) + c.ordinal() * 7).nextBytes(big);
      img.layer(new TarBuilder().dir("d" + i).file("d" + i + "/f.txt", "layer " + i).file("d" + i + "/big", big, 0644)
          .build(), c);
      i++;
    }
    return img.build();
  }

  static ImageReference ref(String host, String repoTag) throws FetchException {
    return ImageReference.parse(host + "/" + repoTag);
  }

  @Test
  void pullsDockerAndOciImagesWithGzipZstdAndPlainLayers() throws Exception {
    for (boolean oci : new boolean[] {true, false}) {
      TestImage img = image(oci, Compression.GZIP, Compression.ZSTD, Compression.NONE);
      String repo = oci ? "mixed/oci" : "mixed/docker";
      pusher.push(repo, "v1", img);
      Store store = Store.open(tmp.resolve("store-" + oci));
      PulledImage pulled = new ImagePuller(store).pull(ref(registry.host(), repo + ":v1"), options(), PullListener.SILENT);
      assertEquals(img.manifestDigest(), pulled.record().manifest().digest().toString());
      for (Map.Entry<String, byte[]> blob : img.blobs.entrySet()) {
        assertArrayEquals(blob.getValue(), Files.readAllBytes(store.blobPath(Digest.parse(blob.getKey()))), blob.getKey());
      }
      assertArrayEquals(img.manifest, Files.readAllBytes(store.blobPath(Digest.parse(img.manifestDigest()))),
          "the manifest is stored byte for byte, under its own digest");
      List<StoredImage> images = store.images();
      assertEquals(1, images.size());
      assertEquals(registry.host() + "/" + repo + ":v1", images.get(0).reference());
      assertEquals(3, pulled.config().diffIds().size());
    }
  }

  @Test
  void aSecondPullOfAnUnchangedTagUsesHeadNotGet() throws Exception {
    TestImage img = image(true, Compression.GZIP);
    pusher.push("head/check", "v1", img);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      Store store = Store.open(tmp.resolve("s"));
      ImagePuller puller = new ImagePuller(store);
      puller.pull(ref(proxy.host(), "head/check:v1"), options(), PullListener.SILENT);
      assertEquals(1, proxy.hits("GET", "/manifests/v1"));
      PulledImage again = puller.pull(ref(proxy.host(), "head/check:v1"), options(), PullListener.SILENT);
      assertEquals(1, proxy.hits("GET", "/manifests/v1"), "Docker Hub counts manifest GETs against the rate limit");
      assertEquals(1, proxy.hits("HEAD", "/manifests/v1"));
      assertEquals(1, proxy.hits("GET", "/blobs/" + img.layerDigest(0)), "a stored layer is never downloaded again");
      assertEquals(0, again.bytesDownloaded());
    }
  }

  @Test
  void layersSharedWithAnotherImageAreNotDownloadedAgain() throws Exception {
    TestImage a = image(true, Compression.GZIP, Compression.GZIP);
    TestImage b = TestImage.oci();
    b.layer(new TarBuilder().file("other", "x").build(), Compression.GZIP);
    // b's second layer is a's first: same bytes, same digest.
    b.layerBlobs.add(a.layerBlobs.get(0));
    b.layerTypes.add(a.layerTypes.get(0));
    b.diffIds.add(a.diffIds.get(0));
    b.blobs.put(a.layerDigest(0), a.layerBlobs.get(0));
    b.build();
    pusher.push("share/a", "v1", a);
    pusher.push("share/b", "v1", b);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      Store store = Store.open(tmp.resolve("s"));
      new ImagePuller(store).pull(ref(proxy.host(), "share/a:v1"), options(), PullListener.SILENT);
      new ImagePuller(store).pull(ref(proxy.host(), "share/b:v1"), options(), PullListener.SILENT);
      assertEquals(0, proxy.hits("GET", "share/b/blobs/" + a.layerDigest(0)));
      assertEquals(2, store.images().size());
    }
  }

  @Test
  void choosesThePlatformFromAManifestListAndAnOciIndex() throws Exception {
    for (boolean oci : new boolean[] {true, false}) {
      TestImage amd = image(oci, Compression.GZIP).platform("linux", "amd64", "");
      amd.build();
      TestImage arm = (oci ? TestImage.oci() : TestImage.docker()).platform("linux", "arm64", "v8");
      arm.layer(new TarBuilder().file("arch", "arm64").build(), Compression.GZIP).build();
      TestImage attestation = TestImage.oci().platform("unknown", "unknown", "");
      attestation.layer(new TarBuilder().file("provenance.json", "{}").build(), Compression.NONE).build();
      String repo = "multi/" + (oci ? "oci" : "docker");
      pusher.push(repo, "amd", amd);
      pusher.push(repo, "arm", arm);
      pusher.push(repo, "att", attestation);
      byte[] index = TestImage.index(oci, List.of(amd, arm), oci ? List.of(attestation) : List.of());
      pusher.pushManifest(repo, "v1", index, oci ? "application/vnd.oci.image.index.v1+json"
          : "application/vnd.docker.distribution.manifest.list.v2+json");
      Store store = Store.open(tmp.resolve("s-" + oci));
      ImagePuller puller = new ImagePuller(store);
      PulledImage got = puller.pull(ref(registry.host(), repo + ":v1"), options(), PullListener.SILENT);
      assertEquals(amd.manifestDigest(), got.record().manifest().digest().toString(),
          new String(index) + "\n" + new String(amd.manifest) + "\n" + new String(got.manifest().raw()));
      assertEquals(TestImage.sha256(index), got.record().indexDigest().toString());
      assertTrue(Files.exists(store.blobPath(Digest.parse(TestImage.sha256(index)))), "the index itself is kept");
      PulledImage gotArm = puller.pull(ref(registry.host(), repo + ":v1"),
          options().withPlatform(Platform.parse("linux/arm64/v8")), PullListener.SILENT);
      assertEquals(arm.manifestDigest(), gotArm.record().manifest().digest().toString());
      NoMatchingPlatformException e = assertThrows(NoMatchingPlatformException.class, () -> puller.pull(
          ref(registry.host(), repo + ":v1"), options().withPlatform(Platform.parse("linux/s390x")), PullListener.SILENT));
      assertTrue(e.getMessage().contains("linux/amd64, linux/arm64"), e.getMessage());
      assertFalse(e.getMessage().contains("unknown"), "attestation entries are not platforms: " + e.getMessage());
    }
  }

  @Test
  void pullsByDigestAndVerifiesThePin() throws Exception {
    TestImage img = image(true, Compression.ZSTD);
    pusher.push("pin/me", "v1", img);
    Store store = Store.open(tmp.resolve("s"));
    PulledImage p = new ImagePuller(store).pull(
        ref(registry.host(), "pin/me@" + img.manifestDigest()), options(), PullListener.SILENT);
    assertEquals(img.manifestDigest(), p.record().manifest().digest().toString());
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/manifests/sha256:", FaultProxy.Fault.FLIP_BYTE, -1, null);
      Store fresh = Store.open(tmp.resolve("s2"));
      ContentMismatchException e = assertThrows(ContentMismatchException.class, () -> new ImagePuller(fresh).pull(
          ref(proxy.host(), "pin/me@" + img.manifestDigest()), options(), PullListener.SILENT));
      assertTrue(e.getMessage().contains(img.manifestDigest()), e.getMessage());
      assertTrue(fresh.images().isEmpty());
    }
  }

  @Test
  void aCorruptBlobIsRejectedAndNothingOfItIsKept() throws Exception {
    TestImage img = image(true, Compression.GZIP, Compression.GZIP);
    pusher.push("corrupt/blob", "v1", img);
    for (FaultProxy.Fault fault : new FaultProxy.Fault[] {FaultProxy.Fault.FLIP_BYTE, FaultProxy.Fault.EXTRA_BYTE}) {
      try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
        proxy.add("GET", "/blobs/" + img.layerDigest(1), fault, -1, null);
        Store store = Store.open(tmp.resolve("s-" + fault));
        ContentMismatchException e = assertThrows(ContentMismatchException.class, () -> new ImagePuller(store).pull(
            ref(proxy.host(), "corrupt/blob:v1"), options(), PullListener.SILENT));
        assertTrue(e.getMessage().contains(img.layerDigest(1)), e.getMessage());
        assertTrue(e.getMessage().contains(proxy.host()), "the error names the registry: " + e.getMessage());
        assertFalse(Files.exists(store.blobPath(Digest.parse(img.layerDigest(1)))));
        try (Stream<Path> left = Files.list(store.tmp())) {
          assertEquals(List.of(), left.filter(p -> p.toString().contains(img.layerDigest(1).substring(7))).toList());
        }
        assertTrue(store.images().isEmpty(), "no image that looks complete");
      }
    }
  }

  @Test
  void aConnectionThatDiesMidBlobResumesWithRange() throws Exception {
    TestImage img = image(true, Compression.NONE);
    pusher.push("cut/blob", "v1", img);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.CUT_AFTER, 2, 70_000L);
      Store store = Store.open(tmp.resolve("s"));
      PulledImage p = new ImagePuller(store).pull(ref(proxy.host(), "cut/blob:v1"), options(), PullListener.SILENT);
      assertEquals(3, proxy.hits("GET", "/blobs/" + img.layerDigest(0)));
      assertArrayEquals(img.layerBlobs.get(0), Files.readAllBytes(store.blobPath(Digest.parse(img.layerDigest(0)))));
      assertEquals(List.of("/v2/cut/blob/blobs/" + img.layerDigest(0) + " bytes=70000-",
          "/v2/cut/blob/blobs/" + img.layerDigest(0) + " bytes=140000-"), proxy.ranges(),
          "each retry asks only for what is missing (the proxy writes header names in other case)");
      assertEquals(img.layerBlobs.get(0).length + img.config.length, p.bytesDownloaded(),
          "resumed downloads fetch each byte once");
    }
  }

  @Test
  void aPullThatFailsMidBlobLeavesAResumablePartialAndNoImage() throws Exception {
    TestImage img = image(true, Compression.NONE);
    pusher.push("cut/resume", "v1", img);
    Store store = Store.open(tmp.resolve("s"));
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.CUT_AFTER, 1, 100_000L);
      proxy.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.STATUS, -1, new Object[] {503, null});
      RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
          () -> new ImagePuller(store).pull(ref(proxy.host(), "cut/resume:v1"), options(), PullListener.SILENT));
      assertTrue(e.getMessage().contains("503"), e.getMessage());
      assertTrue(store.images().isEmpty());
      assertFalse(Files.exists(store.blobPath(Digest.parse(img.layerDigest(0)))));
      try (FaultProxy healthy = new FaultProxy(registry.baseUri())) {
        PulledImage p = new ImagePuller(store).pull(ref(healthy.host(), "cut/resume:v1"), options(), PullListener.SILENT);
        assertEquals(img.layerBlobs.get(0).length - 100_000, p.bytesDownloaded(),
            "only the missing bytes are downloaded again");
        assertEquals(List.of("/v2/cut/resume/blobs/" + img.layerDigest(0) + " bytes=100000-"), healthy.ranges());
      }
    }
  }

  @Test
  void closingAPullMidDownloadKeepsThePartialForAResume() throws Exception {
    TestImage img = image(true, Compression.NONE);
    pusher.push("cut/closed", "v1", img);
    Store store = Store.open(tmp.resolve("s"));
    Path partial = store.tmp().resolve("blob-sha256-" + img.layerDigest(0).substring(7) + ".partial");
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.SLOW, 1, 200L);
      try (PullSession s = new ImagePuller(store).begin(ref(proxy.host(), "cut/closed:v1"), options(), PullListener.SILENT)) {
        s.startDownloads();
        while (!Files.exists(partial) || Files.size(partial) == 0) {
          Thread.sleep(5);
        }
      } // closed mid-download: the download thread is stopped while it writes
    }
    assertTrue(Files.exists(partial) && Files.size(partial) > 0, "the bytes received are kept for a resume");
    long kept = Files.size(partial);
    try (FaultProxy healthy = new FaultProxy(registry.baseUri())) {
      PulledImage p = new ImagePuller(store).pull(ref(healthy.host(), "cut/closed:v1"), options(), PullListener.SILENT);
      assertEquals(img.layerBlobs.get(0).length - kept, p.bytesDownloaded(), "only the missing bytes are fetched");
      assertEquals(List.of("/v2/cut/closed/blobs/" + img.layerDigest(0) + " bytes=" + kept + "-"), healthy.ranges());
    }
  }

  @Test
  void transientFailuresAreRetriedHonouringRetryAfter() throws Exception {
    TestImage img = image(true, Compression.GZIP);
    pusher.push("flaky/reg", "v1", img);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/manifests/v1", FaultProxy.Fault.STATUS, 1, new Object[] {429, "1"});
      proxy.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.STATUS, 2, new Object[] {503, null});
      Store store = Store.open(tmp.resolve("s"));
      long start = System.nanoTime();
      new ImagePuller(store).pull(ref(proxy.host(), "flaky/reg:v1"), options(), PullListener.SILENT);
      assertTrue(System.nanoTime() - start >= 1_000_000_000L, "Retry-After: 1 was honoured");
      assertEquals(2, proxy.hits("GET", "/manifests/v1"));
      assertEquals(3, proxy.hits("GET", "/blobs/" + img.layerDigest(0)));
    }
  }

  @Test
  void persistentRateLimitingGivesUpWithAdvice() throws Exception {
    TestImage img = image(true, Compression.GZIP);
    pusher.push("limited/reg", "v1", img);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/manifests/v1", FaultProxy.Fault.STATUS, -1, new Object[] {429, "0"});
      RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> new ImagePuller(
          Store.open(tmp.resolve("s"))).pull(ref(proxy.host(), "limited/reg:v1"), options(), PullListener.SILENT));
      assertTrue(e.getMessage().contains("rate limit") && e.getMessage().contains("log in"), e.getMessage());
      assertEquals(FAST.maxAttempts(), proxy.hits("GET", "/manifests/v1"), "a bounded number of attempts");
    }
  }

  @Test
  void notFoundIsReportedAtOnceWithHints() throws Exception {
    TestImage img = image(true, Compression.GZIP);
    pusher.push("biocontainers/notool", "2.1--0", img);
    pusher.push("biocontainers/notool", "2.10--1", img);
    pusher.push("biocontainers/notool", "1.9--0", img);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      Store store = Store.open(tmp.resolve("s"));
      RegistryNotFoundException e = assertThrows(RegistryNotFoundException.class, () -> new ImagePuller(store).pull(
          ref(proxy.host(), "biocontainers/notool"), options(), PullListener.SILENT));
      assertTrue(e.getMessage().contains("has no 'latest' tag; its newest tags: 2.10--1, 2.1--0, 1.9--0"), e.getMessage());
      assertEquals(1, proxy.hits("GET", "/manifests/latest"), "404 is not retried");
      RegistryNotFoundException missing = assertThrows(RegistryNotFoundException.class, () -> new ImagePuller(store)
          .pull(ref(proxy.host(), "no/such:tag"), options(), PullListener.SILENT));
      assertTrue(missing.getMessage().contains(proxy.host() + "/no/such:tag"), missing.getMessage());
    }
  }

  @Test
  void offlineUsesOnlyTheStoreAndNamesWhatIsMissing() throws Exception {
    TestImage img = image(true, Compression.GZIP);
    pusher.push("off/line", "v1", img);
    Store store = Store.open(tmp.resolve("s"));
    String host;
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      host = proxy.host();
      new ImagePuller(store).pull(ref(host, "off/line:v1"), options(), PullListener.SILENT);
    }
    // The proxy is gone: any network access would fail.
    PulledImage p = new ImagePuller(store).pull(ref(host, "off/line:v1"), options().withOffline(true), PullListener.SILENT);
    assertEquals(img.manifestDigest(), p.record().manifest().digest().toString());
    NotInStoreException e = assertThrows(NotInStoreException.class, () -> new ImagePuller(store).pull(
        ref(host, "off/other:v1"), options().withOffline(true), PullListener.SILENT));
    assertTrue(e.getMessage().contains(host + "/off/other:v1") && e.getMessage().contains("offline"), e.getMessage());
    Files.delete(store.blobPath(Digest.parse(img.layerDigest(0))));
    NotInStoreException incomplete = assertThrows(NotInStoreException.class, () -> new ImagePuller(store).pull(
        ref(host, "off/line:v1"), options().withOffline(true), PullListener.SILENT));
    assertTrue(incomplete.getMessage().contains(img.layerDigest(0)), incomplete.getMessage());
  }

  @Test
  void concurrentPullsFromManyThreadsDownloadEachBlobOnce() throws Exception {
    TestImage img = image(true, Compression.GZIP, Compression.ZSTD, Compression.NONE);
    pusher.push("conc/pull", "v1", img);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      Store store = Store.open(tmp.resolve("s"));
      ExecutorService ex = Executors.newFixedThreadPool(8);
      List<Future<PulledImage>> fs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        fs.add(ex.submit(() -> new ImagePuller(Store.open(tmp.resolve("s")))
            .pull(ref(proxy.host(), "conc/pull:v1"), options(), PullListener.SILENT)));
      }
      for (Future<PulledImage> f : fs) {
        assertEquals(img.manifestDigest(), f.get().record().manifest().digest().toString());
      }
      ex.shutdown();
      for (int i = 0; i < 3; i++) {
        assertEquals(1, proxy.hits("GET", "/blobs/" + img.layerDigest(i)), "layer " + i);
      }
      assertEquals(1, store.images().size());
    }
  }

  @Test
  void pruneDuringAPullWaitsForItAndDeletesNothingItNeeds() throws Exception {
    TestImage img = image(true, Compression.GZIP, Compression.NONE);
    pusher.push("gc/race", "v1", img);
    Store store = Store.open(tmp.resolve("s"));
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/blobs/" + img.layerDigest(1), FaultProxy.Fault.SLOW, 1, 30L);
      ExecutorService ex = Executors.newSingleThreadExecutor();
      Future<PulledImage> pull = ex.submit(() -> new ImagePuller(store)
          .pull(ref(proxy.host(), "gc/race:v1"), options(), PullListener.SILENT));
      while (proxy.hits("GET", "/blobs/" + img.layerDigest(1)) == 0) {
        Thread.sleep(5);
      }
      // The pull holds the GC lock shared: collection waits, then finds every blob referenced.
      // (Waited: the slow layer is complete when it returns. The pull's future may complete a
      // moment after the lock is released, so it is not what is checked.)
      org.nsroot.fetch.store.GarbageCollector.Result r = new org.nsroot.fetch.store.GarbageCollector(store).collect(true);
      assertTrue(store.hasBlob(Digest.parse(img.layerDigest(1)), img.layerBlobs.get(1).length),
          "the collection waited for the pull to finish the slow layer");
      assertEquals(0, r.blobs());
      assertEquals(img.manifestDigest(), pull.get(30, java.util.concurrent.TimeUnit.SECONDS).record().manifest().digest().toString());
      ex.shutdown();
      PulledImage offline = new ImagePuller(store).pull(ref(proxy.host(), "gc/race:v1"), options().withOffline(true),
          PullListener.SILENT);
      assertEquals(2, offline.manifest().layers().size());
    }
  }

  @Test
  void layersCanBeStreamedWhileTheyDownload() throws Exception {
    TestImage img = image(true, Compression.GZIP, Compression.NONE);
    pusher.push("stream/me", "v1", img);
    Store store = Store.open(tmp.resolve("s"));
    try (PullSession s = new ImagePuller(store).begin(ref(registry.host(), "stream/me:v1"), options(), PullListener.SILENT)) {
      s.startDownloads();
      for (int i = 0; i < 2; i++) {
        try (InputStream in = s.openLayer(i)) {
          assertArrayEquals(img.layerBlobs.get(i), in.readAllBytes());
        }
      }
      s.commit();
    }
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.FLIP_BYTE, -1, null);
      Store fresh = Store.open(tmp.resolve("s2"));
      try (PullSession s = new ImagePuller(fresh).begin(ref(proxy.host(), "stream/me:v1"), options(), PullListener.SILENT)) {
        s.startDownloads();
        try (InputStream in = s.openLayer(0)) {
          IOException e = assertThrows(IOException.class, in::readAllBytes);
          assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
        }
        assertThrows(ContentMismatchException.class, s::commit);
      }
    }
  }

  @Test
  void basicAuthWithRightWrongAndMissingPasswords() throws Exception {
    try (LocalRegistry secured = LocalRegistry.start(tmp.resolve("secured"), new String[] {"alice", "pa55-word!"}, null, null)) {
      new RegistryPusher(secured.baseUri(), "alice", "pa55-word!").push("private/tool", "v1", image(true, Compression.GZIP));
      ImageReference r = ref(secured.host(), "private/tool:v1");
      Map<String, String> env = Map.of("HOME", tmp.toString());
      PullOptions right = options().withClient(client(env, new RegistryCredential("alice", "pa55-word!", "--creds")));
      new ImagePuller(Store.open(tmp.resolve("s1"))).pull(r, right, PullListener.SILENT);

      PullOptions wrong = options().withClient(client(env, new RegistryCredential("alice", "wrong-secret", "--creds")));
      RegistryAuthException e = assertThrows(RegistryAuthException.class,
          () -> new ImagePuller(Store.open(tmp.resolve("s2"))).pull(r, wrong, PullListener.SILENT));
      assertTrue(e.getMessage().contains("alice") && !e.getMessage().contains("wrong-secret"), e.getMessage());

      RegistryAuthException none = assertThrows(RegistryAuthException.class,
          () -> new ImagePuller(Store.open(tmp.resolve("s3"))).pull(r, options(), PullListener.SILENT));
      assertTrue(none.getMessage().contains("--creds"), none.getMessage());

      // The environment, for scripts:
      Map<String, String> scripted = Map.of("HOME", tmp.toString(), "NSROOT_REGISTRY_USER", "alice",
          "NSROOT_REGISTRY_PASSWORD", "pa55-word!");
      new ImagePuller(Store.open(tmp.resolve("s4"))).pull(r, options().withClient(client(scripted, null)), PullListener.SILENT);

      // docker's config file, as docker login writes it:
      Path home = tmp.resolve("home");
      Files.createDirectories(home.resolve(".docker"));
      String auth = java.util.Base64.getEncoder().encodeToString("alice:pa55-word!".getBytes(StandardCharsets.UTF_8));
      Files.writeString(home.resolve(".docker/config.json"),
          "{\"auths\":{\"" + secured.host() + "\":{\"auth\":\"" + auth + "\"}}}");
      Store s5 = Store.open(tmp.resolve("s5"));
      new ImagePuller(s5).pull(r, options().withClient(client(Map.of("HOME", home.toString()), null)), PullListener.SILENT);
      assertSecretAbsent(s5.root(), "pa55-word!");
      assertSecretAbsent(s5.root(), auth);
    }
  }

  @Test
  void bearerTokensAreFetchedAndNeverFollowARedirectToAnotherHost() throws Exception {
    TestImage img = image(true, Compression.GZIP);
    pusher.push("bearer/tool", "v1", img);
    try (FaultProxy cdn = new FaultProxy(registry.baseUri());
        FaultProxy front = new FaultProxy(registry.baseUri())) {
      front.requireBearer(new String[] {"bob", "t0ken-pw"});
      front.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.REDIRECT, -1, "http://" + cdn.host());
      Store store = Store.open(tmp.resolve("s"));
      PullOptions opts = options().withClient(client(Map.of("HOME", tmp.toString()), new RegistryCredential("bob", "t0ken-pw", "--creds")));
      new ImagePuller(store).pull(ref(front.host(), "bearer/tool:v1"), opts, PullListener.SILENT);
      assertTrue(front.authorizations().stream().anyMatch(a -> a.startsWith("Bearer ")));
      assertTrue(front.authorizations().stream().anyMatch(a -> a.startsWith("Basic ")), "basic only to the realm");
      assertEquals(List.of(), cdn.authorizations(), "no credential crosses a redirect to another origin");
      assertEquals(1, cdn.hits("GET", "/blobs/" + img.layerDigest(0)));

      RegistryAuthException wrong = assertThrows(RegistryAuthException.class, () -> new ImagePuller(
          Store.open(tmp.resolve("s2"))).pull(ref(front.host(), "bearer/tool:v1"),
          options().withClient(client(Map.of("HOME", tmp.toString()), new RegistryCredential("bob", "nope", "--creds"))),
          PullListener.SILENT));
      assertTrue(wrong.getMessage().contains("wrong user name or password"), wrong.getMessage());
    }
  }

  @Test
  void hostileTokenRealmsAndEndlessRedirectsAreRefused() throws Exception {
    TestImage img = image(true, Compression.GZIP);
    pusher.push("hostile/realm", "v1", img);
    try (FaultProxy front = new FaultProxy(registry.baseUri())) {
      front.requireBearer(new String[] {"bob", "pw-for-realm"}, "https://169.254.169.254/latest/token");
      PullOptions opts = options().withClient(client(Map.of("HOME", tmp.toString()), new RegistryCredential("bob", "pw-for-realm", "--creds")));
      RegistryAuthException e = assertThrows(RegistryAuthException.class, () -> new ImagePuller(
          Store.open(tmp.resolve("s1"))).pull(ref(front.host(), "hostile/realm:v1"), opts, PullListener.SILENT));
      assertTrue(e.getMessage().contains("refusing the token realm") && e.getMessage().contains("link-local"), e.getMessage());
      assertFalse(e.getMessage().contains("pw-for-realm"));
    }
    try (FaultProxy loop = new FaultProxy(registry.baseUri())) {
      loop.add("GET", "/blobs/", FaultProxy.Fault.REDIRECT, -1, "http://" + loop.host());
      RegistryException e = assertThrows(RegistryException.class, () -> new ImagePuller(Store.open(tmp.resolve("s2")))
          .pull(ref(loop.host(), "hostile/realm:v1"), options(), PullListener.SILENT));
      assertTrue(e.getMessage().contains("too many redirects"), e.getMessage());
      assertTrue(loop.hits("GET", "/blobs/") <= 11, "the redirect chain is capped");
    }
  }

  @Test
  void aResumeAnsweredWithAWrongContentRangeStartsAfreshInsteadOfStitching() throws Exception {
    TestImage img = image(true, Compression.NONE);
    pusher.push("wrong/range", "v1", img);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.CUT_AFTER, 1, 50_000L);
      proxy.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.WRONG_RANGE, 1, null);
      Store store = Store.open(tmp.resolve("s"));
      new ImagePuller(store).pull(ref(proxy.host(), "wrong/range:v1"), options(), PullListener.SILENT);
      assertArrayEquals(img.layerBlobs.get(0), Files.readAllBytes(store.blobPath(Digest.parse(img.layerDigest(0)))));
      assertEquals(3, proxy.hits("GET", "/blobs/" + img.layerDigest(0)));
      assertEquals(1, proxy.ranges().size(), "after a wrong Content-Range, no more Range requests: " + proxy.ranges());
    }
  }

  @Test
  void tlsRegistriesNeedTheirCaAndNeverFallBackToHttp() throws Exception {
    Path certs = tmp.resolve("tls");
    Files.createDirectories(certs);
    run(certs, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", "key.pem", "-out", "cert.pem");
    try (LocalRegistry tls = LocalRegistry.start(tmp.resolve("tlsreg"), null, certs.resolve("cert.pem"), certs.resolve("key.pem"))) {
      TestImage img = image(true, Compression.GZIP);
      pushOverTls(tls, certs.resolve("cert.pem"), img);
      ImageReference r = ref("localhost:" + tls.port(), "tls/tool:v1");
      RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
          () -> new ImagePuller(Store.open(tmp.resolve("s1"))).pull(r, options(), PullListener.SILENT));
      assertTrue(e.getMessage().contains("not trusted") && e.getMessage().contains("certs.d"), e.getMessage());

      PullOptions withCa = options().withClient(options().client().withCaCertificate(certs.resolve("cert.pem")));
      new ImagePuller(Store.open(tmp.resolve("s2"))).pull(r, withCa, PullListener.SILENT);

      Path home = tmp.resolve("home");
      Path certsD = home.resolve(".docker/certs.d/localhost:" + tls.port());
      Files.createDirectories(certsD);
      Files.copy(certs.resolve("cert.pem"), certsD.resolve("ca.crt"));
      new ImagePuller(Store.open(tmp.resolve("s3"))).pull(r,
          options().withClient(client(Map.of("HOME", home.toString()), null)), PullListener.SILENT);

      PullOptions insecure = options().withClient(options().client().withInsecure(true));
      new ImagePuller(Store.open(tmp.resolve("s4"))).pull(r, insecure, PullListener.SILENT);
    }
  }

  static void pushOverTls(LocalRegistry tls, Path cert, TestImage img) throws Exception {
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    java.security.KeyStore ks = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    ks.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      ks.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    ctx.init(null, tmf.getTrustManagers(), null);
    javax.net.ssl.SSLSocketFactory old = javax.net.ssl.HttpsURLConnection.getDefaultSSLSocketFactory();
    javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(ctx.getSocketFactory());
    try {
      new RegistryPusher(java.net.URI.create("https://localhost:" + tls.port())).push("tls/tool", "v1", img);
    } finally {
      javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(old);
    }
  }

  static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  static void assertSecretAbsent(Path root, String secret) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(secret), f.toString());
      }
    }
  }

  @Test
  void listenersHearEveryLayer() throws Exception {
    TestImage img = image(true, Compression.GZIP, Compression.GZIP);
    pusher.push("listen/me", "v1", img);
    List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    PullListener l = new PullListener() {
      @Override
      public void layerQueued(org.nsroot.fetch.manifest.Descriptor layer, boolean cached) {
        events.add("queued " + layer.digest().shortHex() + " " + cached);
      }

      @Override
      public void layerDone(org.nsroot.fetch.manifest.Descriptor layer, boolean downloaded) {
        events.add("done " + layer.digest().shortHex() + " " + downloaded);
      }
    };
    Store store = Store.open(tmp.resolve("s"));
    new ImagePuller(store).pull(ref(registry.host(), "listen/me:v1"), options(), l);
    for (int i = 0; i < 2; i++) {
      String hex = img.layerDigest(i).substring(7, 19);
      assertTrue(events.indexOf("queued " + hex + " false") >= 0, events.toString());
      assertTrue(events.indexOf("queued " + hex + " false") < events.indexOf("done " + hex + " true"), events.toString());
    }
    events.clear();
    new ImagePuller(store).pull(ref(registry.host(), "listen/me:v1"), options(), l);
    assertTrue(events.contains("queued " + img.layerDigest(0).substring(7, 19) + " true"), "now cached: " + events);
  }
}
