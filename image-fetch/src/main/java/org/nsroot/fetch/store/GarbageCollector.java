package org.nsroot.fetch.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.ManifestException;

/**
 * Deletes blobs that no stored image references, and work left in {@code tmp/}. It holds the GC
 * lock exclusively, so it waits for running pulls (which hold it shared) and they wait for it.
 */
public final class GarbageCollector {
  private final Store store;

  public GarbageCollector(Store store) {
    this.store = store;
  }

  /** What a collection freed. */
  public record Result(int blobs, long bytes) {}

  /**
   * Collects. {@code cleanTmp} also empties {@code tmp/}, partial downloads included; {@code rmi}
   * leaves them for a resume, {@code prune} does not.
   */
  public Result collect(boolean cleanTmp) throws FetchException {
    return collect(cleanTmp, null);
  }

  /** Deletes those of {@code candidates} that no stored image references (what one failed pull brought). */
  public Result collectOnly(Set<Digest> candidates) throws FetchException {
    return collect(false, candidates);
  }

  private Result collect(boolean cleanTmp, Set<Digest> candidates) throws FetchException {
    try (StoreLocks.Held ignored = store.locks().exclusive(Store.GC_LOCK)) {
      Set<Digest> keep = referenced();
      int count = 0;
      long bytes = 0;
      for (Digest d : candidates != null ? candidates : store.blobDigests()) {
        if (!keep.contains(d)) {
          bytes += store.deleteBlob(d);
          count++;
        }
      }
      if (cleanTmp) {
        bytes += emptyTmp();
      }
      return new Result(count, bytes);
    }
  }

  private Set<Digest> referenced() throws FetchException {
    Set<Digest> keep = new HashSet<>();
    for (StoredImage image : store.images()) {
      keep.add(image.manifest().digest());
      if (image.indexDigest() != null) {
        keep.add(image.indexDigest());
      }
      try {
        keep.addAll(store.manifest(image).blobs());
      } catch (NotInStoreException | StoreCorruptException | ManifestException | ContentMismatchException e) {
        // A broken image keeps what it names nothing of; its record stays for the user to remove.
      }
    }
    return keep;
  }

  private long emptyTmp() throws StoreException {
    long bytes = 0;
    // Pulls and builds are excluded by the GC lock; an index.json being rewritten by the index lock.
    try (StoreLocks.Held ignored = store.locks().exclusive(Store.INDEX_LOCK);
        DirectoryStream<Path> entries = Files.newDirectoryStream(store.tmp())) {
      for (Path p : entries) {
        bytes += TreeDeleter.delete(p);
      }
    } catch (IOException e) {
      throw Store.failure("cannot clean " + store.tmp(), e);
    }
    return bytes;
  }
}
