package org.nsroot.fetch.store;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.MediaTypes;

class StoreTest {
  @TempDir Path dir;

  @Test
  void isAPrivateOciLayout() throws Exception {
    Store store = Store.open(dir.resolve("s"));
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(store.root().resolve("oci-layout")));
    assertTrue(Files.readString(store.root().resolve("index.json")).contains("\"manifests\""));
    for (String d : List.of("", "blobs", "blobs/sha256", "tmp", "locks", "rootfs")) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root().resolve(d))), d);
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root().resolve("index.json"))));
  }

  @Test
  void blobsEnterOnlyWhenVerified() throws Exception {
    Store store = Store.open(dir);
    byte[] good = "hello".getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256Of(good);
    try (BlobWriter w = store.newWriter(d, good.length)) {
      w.write("hellO".getBytes(StandardCharsets.UTF_8), 0, 5);
      ContentMismatchException e = assertThrows(ContentMismatchException.class, () -> w.commit("test"));
      assertTrue(e.getMessage().contains(d.toString()) && e.getMessage().contains("test"), e.getMessage());
    }
    assertFalse(Files.exists(store.blobPath(d)));
    assertEquals(0, Files.list(store.tmp()).count(), "nothing of a bad blob is kept");
    try (BlobWriter w = store.newWriter(d, good.length)) {
      assertThrows(BlobWriter.SizeExceededException.class, () -> w.write("hello!".getBytes(StandardCharsets.UTF_8), 0, 6));
    }
    try (BlobWriter w = store.newWriter(d, good.length)) {
      w.write(good, 0, good.length);
      w.commit("test");
    }
    assertTrue(store.hasBlob(d, 5));
    assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.blobPath(d))));
  }

  @Test
  void aPartialDownloadResumesFromItsVerifiedPrefix() throws Exception {
    Store store = Store.open(dir);
    byte[] content = "0123456789".getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256Of(content);
    try (BlobWriter w = store.newWriter(d, content.length)) {
      w.write(content, 0, 4); // then the process dies: close() keeps the partial file
    }
    try (BlobWriter w = store.newWriter(d, content.length)) {
      assertEquals(4, w.offset());
      w.write(content, 4, 6);
      w.commit("test");
    }
    assertArrayEquals(content, Files.readAllBytes(store.blobPath(d)));
  }

  @Test
  void followersStreamWhileDownloadingAndFailWhenTheBlobIsBad() throws Exception {
    Store store = Store.open(dir);
    byte[] content = new byte[300_000];
    new java.util.Random(1).nextBytes(content);
    Digest d = Digest.sha256Of(content);
    BlobWriter w = store.newWriter(d, content.length);
    InputStream follower = w.follow();
    ExecutorService ex = Executors.newSingleThreadExecutor();
    Future<byte[]> read = ex.submit(() -> follower.readAllBytes());
    for (int off = 0; off < content.length; off += 1000) {
      w.write(content, off, Math.min(1000, content.length - off));
    }
    assertFalse(read.isDone(), "a follower must not see the end before the blob is committed");
    w.commit("test");
    assertArrayEquals(content, read.get(10, TimeUnit.SECONDS));

    Digest other = Digest.sha256Of("x".getBytes(StandardCharsets.UTF_8));
    BlobWriter bad = store.newWriter(other, content.length);
    InputStream badFollower = bad.follow();
    Future<byte[]> badRead = ex.submit(() -> badFollower.readAllBytes());
    bad.write(content, 0, content.length);
    assertThrows(ContentMismatchException.class, () -> bad.commit("test"));
    Exception e = assertThrows(java.util.concurrent.ExecutionException.class, () -> badRead.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IOException, e.toString());
    ex.shutdown();
  }

  @Test
  void aCorruptStoredBlobIsDetectedOnReadAndRemoved() throws Exception {
    Store store = Store.open(dir);
    byte[] content = "content".getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256Of(content);
    store.putBlob(d, content, "test");
    Path p = store.blobPath(d);
    p.toFile().setWritable(true);
    Files.write(p, "contenT".getBytes(StandardCharsets.UTF_8));
    StoreCorruptException e = assertThrows(StoreCorruptException.class, () -> store.readBlob(d, 100));
    assertTrue(e.getMessage().contains("pull the image again"), e.getMessage());
    assertFalse(Files.exists(p));
  }

  @Test
  void aDamagedIndexGivesARepairHintNotAStackTrace() throws Exception {
    Store store = Store.open(dir);
    Files.writeString(store.root().resolve("index.json"), "{\"manifests\":[{\"digest\":");
    StoreCorruptException e = assertThrows(StoreCorruptException.class, store::images);
    assertTrue(e.getMessage().contains("move it aside"), e.getMessage());
  }

  @Test
  void unknownFilesInTheStoreAreIgnored() throws Exception {
    Store store = Store.open(dir);
    Files.writeString(store.root().resolve("blobs/sha256/README"), "not a blob");
    Files.writeString(store.root().resolve("notes.txt"), "hello");
    assertTrue(store.blobDigests().isEmpty());
    assertTrue(store.images().isEmpty());
  }

  @Test
  void concurrentRecordsFromManyThreadsAreAllKept() throws Exception {
    Store store = Store.open(dir);
    ExecutorService ex = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      int n = i;
      fs.add(ex.submit(() -> {
        store.record(new StoredImage("r/" + n + ":latest",
            new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256Of(new byte[] {(byte) n}), 1), null, null, Instant.now(), 1));
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    ex.shutdown();
    assertEquals(32, store.images().size());
  }

  @Test
  void locksExcludeAcrossThreadsAndShareAmongReaders() throws Exception {
    Store store = Store.open(dir);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    ExecutorService ex = Executors.newFixedThreadPool(6);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      fs.add(ex.submit(() -> {
        try (StoreLocks.Held h = store.locks().exclusive("x")) {
          maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
          Thread.sleep(5);
          inside.decrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    assertEquals(1, maxInside.get());
    CountDownLatch both = new CountDownLatch(2);
    List<Future<?>> readers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      readers.add(ex.submit(() -> {
        try (StoreLocks.Held h = store.locks().shared("y")) {
          both.countDown();
          assertTrue(both.await(10, TimeUnit.SECONDS), "shared holders must overlap");
        }
        return null;
      }));
    }
    for (Future<?> f : readers) {
      f.get();
    }
    try (StoreLocks.Held h = store.locks().shared("z")) {
      assertTrue(store.locks().tryExclusive("z").isEmpty());
    }
    assertTrue(store.locks().tryExclusive("z").isPresent());
    ex.shutdown();
  }
}
