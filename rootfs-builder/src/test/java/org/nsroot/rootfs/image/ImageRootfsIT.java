package org.nsroot.rootfs.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.fetch.auth.CredentialResolver;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.pull.PullListener;
import org.nsroot.fetch.pull.PullOptions;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.registry.ClientOptions;
import org.nsroot.fetch.registry.RetryPolicy;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoreLocks;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.fetch.testing.Compression;
import org.nsroot.fetch.testing.FaultProxy;
import org.nsroot.fetch.testing.LocalRegistry;
import org.nsroot.fetch.testing.RegistryPusher;
import org.nsroot.fetch.testing.TarBuilder;
import org.nsroot.fetch.testing.TestImage;
import org.nsroot.rootfs.BuildListener;
import org.nsroot.rootfs.DigestMismatchException;
import org.nsroot.rootfs.HostileEntryException;

/** Pull-and-flatten against a real registry: what the store holds before and after. */
class ImageRootfsIT {
  static LocalRegistry registry;
  static RegistryPusher pusher;
  @TempDir static Path shared;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start(shared.resolve("registry"));
    pusher = new RegistryPusher(registry.baseUri());
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  PullOptions options() {
    Map<String, String> env = Map.of("HOME", tmp.toString());
    ClientOptions client = new ClientOptions(false, null, new CredentialResolver(null, env),
        new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofSeconds(1)),
        Duration.ofSeconds(5), Duration.ofSeconds(10), env);
    return PullOptions.defaults(client).withPlatform(Platform.parse("linux/amd64"));
  }

  static TestImage image(byte[]... layers) throws IOException {
    TestImage img = TestImage.oci();
    for (byte[] l : layers) {
      img.layer(l, Compression.GZIP);
    }
    return img.build();
  }

  @Test
  void aPullEndsWithARootfsBuiltWhileItDownloaded() throws Exception {
    byte[] big = new byte[3_000_000];
    new java.util.Random(3).nextBytes(big);
    TestImage img = image(
        new TarBuilder().dir("etc").file("etc/motd", "lower").file("data/big", big, 0644).build(),
        new TarBuilder().file("etc/motd", "upper").file("etc/.wh.gone", "").build());
    pusher.push("flat/tool", "1", img);
    Store store = Store.open(tmp.resolve("store"));
    try (FaultProxy slow = new FaultProxy(registry.baseUri())) {
      // The big layer arrives slowly: the builder must be reading it before it is complete.
      slow.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.SLOW, 1, 10L);
      java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
      PullListener watch = new PullListener() {
        @Override
        public void layerProgress(org.nsroot.fetch.manifest.Descriptor layer, long bytes) {
          if (layer.digest().toString().equals(img.layerDigest(0))
              && received.addAndGet(bytes) < layer.size() && aBuildHas(store, "etc/motd")) {
            overlapped.set(true);
          }
        }
      };
      ImageRootfs.Pulled p = new ImageRootfs(store).pull(ImageReference.parse(slow.host() + "/flat/tool:1"),
          options(), watch, BuildListener.NONE);
      assertTrue(p.built());
      assertTrue(overlapped.get(), "a file of layer 1 was written before layer 1 finished downloading");
      assertEquals("upper", Files.readString(p.rootfs().resolve("etc/motd")));
      assertEquals(3_000_000, Files.size(p.rootfs().resolve("data/big")));
      assertTrue(Files.isDirectory(p.rootfs().resolve("proc")) && Files.isDirectory(p.rootfs().resolve(".old_root")));
      assertEquals(store.rootfsDir(p.image().record()), p.rootfs());
      assertEquals(1, store.images().size());
    }
    // A second pull is a HEAD and nothing to build.
    ImageRootfs.Pulled again = new ImageRootfs(store).pull(ImageReference.parse(registry.host() + "/flat/tool:1"),
        options(), PullListener.SILENT, BuildListener.NONE);
    assertFalse(again.built());
  }

  private static boolean aBuildHas(Store store, String file) {
    try (java.util.stream.Stream<Path> builds = Files.list(store.tmp())) {
      return builds.anyMatch(b -> b.getFileName().toString().startsWith(".nsroot-build-")
          && Files.exists(b.resolve(file)));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void aHostileLayerLeavesTheStoreAsItWas() throws Exception {
    Store store = Store.open(tmp.resolve("store"));
    TestImage good = image(new TarBuilder().file("ok", "fine").build());
    pusher.push("good/tool", "1", good);
    new ImageRootfs(store).pull(ImageReference.parse(registry.host() + "/good/tool:1"), options(),
        PullListener.SILENT, BuildListener.NONE);
    Set<String> before = listing(store.root());

    Path victim = tmp.resolve("victim");
    Files.createDirectories(victim);
    TestImage evil = image(
        new TarBuilder().symlink("escape", "../../../../../../../../" + victim).build(),
        new TarBuilder().file("escape/pwned", "owned").build());
    pusher.push("evil/tool", "1", evil);
    HostileEntryException e = assertThrows(HostileEntryException.class, () -> new ImageRootfs(store)
        .pull(ImageReference.parse(registry.host() + "/evil/tool:1"), options(), PullListener.SILENT, BuildListener.NONE));
    assertTrue(e.getMessage().contains("escape/pwned") && e.getMessage().contains("layer 2/2"), e.getMessage());
    assertFalse(Files.exists(victim.resolve("pwned")));
    assertEquals(before, listing(store.root()), "the store is exactly as it was before the pull");
  }

  @Test
  void aLayerWhoseContentIsNotItsDiffIdIsRefused() throws Exception {
    TestImage lying = image(new TarBuilder().file("a", "one").build());
    lying.diffIds.set(0, TestImage.sha256("something else".getBytes(StandardCharsets.UTF_8)));
    lying.build();
    pusher.push("lying/tool", "1", lying);
    Store store = Store.open(tmp.resolve("store"));
    assertThrows(DigestMismatchException.class, () -> new ImageRootfs(store)
        .pull(ImageReference.parse(registry.host() + "/lying/tool:1"), options(), PullListener.SILENT, BuildListener.NONE));
    assertTrue(store.images().isEmpty());
    try (Stream<Path> trees = Files.list(store.root().resolve("rootfs"))) {
      assertEquals(0, trees.count());
    }
  }

  @Test
  void aCorruptDownloadFailsAsADownloadNotAsAHostileLayer() throws Exception {
    TestImage img = image(new TarBuilder().file("x", "y").build());
    pusher.push("corrupt/tool", "1", img);
    try (FaultProxy proxy = new FaultProxy(registry.baseUri())) {
      proxy.add("GET", "/blobs/" + img.layerDigest(0), FaultProxy.Fault.FLIP_BYTE, -1, null);
      Store store = Store.open(tmp.resolve("store"));
      ContentMismatchException e = assertThrows(ContentMismatchException.class, () -> new ImageRootfs(store)
          .pull(ImageReference.parse(proxy.host() + "/corrupt/tool:1"), options(), PullListener.SILENT, BuildListener.NONE));
      assertTrue(e.getMessage().contains(img.layerDigest(0)), e.getMessage());
      assertTrue(store.images().isEmpty());
    }
  }

  @Test
  void aMissingRootfsIsRebuiltOfflineFromStoredBlobs() throws Exception {
    TestImage img = image(new TarBuilder().file("etc/hello", "hi").build());
    pusher.push("rebuild/tool", "1", img);
    Store store = Store.open(tmp.resolve("store"));
    ImageRootfs rootfs = new ImageRootfs(store);
    StoredImage stored = rootfs.pull(ImageReference.parse(registry.host() + "/rebuild/tool:1"), options(),
        PullListener.SILENT, BuildListener.NONE).image().record();
    Path dir = store.rootfsDir(stored);
    assertTrue(rootfs.remove(stored.manifest().digest()));
    assertFalse(Files.exists(dir));
    assertEquals(dir, rootfs.ensure(stored, BuildListener.NONE));
    assertEquals("hi", Files.readString(dir.resolve("etc/hello")));
  }

  @Test
  void aRootfsInUseIsNotRemovedUntilReleased() throws Exception {
    TestImage img = image(new TarBuilder().file("f", "x").build());
    pusher.push("busy/tool", "1", img);
    Store store = Store.open(tmp.resolve("store"));
    ImageRootfs rootfs = new ImageRootfs(store);
    StoredImage stored = rootfs.pull(ImageReference.parse(registry.host() + "/busy/tool:1"), options(),
        PullListener.SILENT, BuildListener.NONE).image().record();
    Digest d = stored.manifest().digest();
    // A running container holds the lock shared (the helper does, from another process; a shared
    // holder in this JVM is the same to the remover).
    try (StoreLocks.Held running = store.locks().shared(store.rootfsLock(d))) {
      assertFalse(rootfs.remove(d));
      assertTrue(Files.isDirectory(store.rootfsDir(d)));
    }
    store.forget(i -> true);
    assertEquals(1, rootfs.prune());
    assertFalse(Files.exists(store.rootfsDir(d)));
  }

  private static Set<String> listing(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> !p.toString().contains("/locks/"))
          .map(p -> root.relativize(p) + (Files.isRegularFile(p) ? " " + size(p) : ""))
          .collect(Collectors.toSet());
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

}
