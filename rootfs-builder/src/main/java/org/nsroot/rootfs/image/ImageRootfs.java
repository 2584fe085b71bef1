package org.nsroot.rootfs.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.ImageManifest;
import org.nsroot.fetch.pull.ImagePuller;
import org.nsroot.fetch.pull.PullListener;
import org.nsroot.fetch.pull.PullOptions;
import org.nsroot.fetch.pull.PullSession;
import org.nsroot.fetch.pull.PulledImage;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.store.GarbageCollector;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoreLocks;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.rootfs.BuildLimits;
import org.nsroot.rootfs.BuildListener;
import org.nsroot.rootfs.LayerSource;
import org.nsroot.rootfs.RootfsBuilder;
import org.nsroot.rootfs.RootfsException;
import org.nsroot.rootfs.RootfsRemover;

/**
 * The flattened rootfs of stored images, in the store's {@code rootfs/ID/} (ID: the manifest
 * digest). A pull flattens each layer while it downloads; a rootfs that is missing (an import, a
 * build that died) is built again from the stored blobs, without the network.
 *
 * <p>Locks: a build holds {@code rootfs-ID} exclusively; a running container holds it shared (the
 * helper does, through {@link #lockFile}); deleting a rootfs needs it exclusively and is deferred
 * while a container runs (catalogue H7).
 */
public final class ImageRootfs {
  private final Store store;
  private final RootfsBuilder builder;

  public ImageRootfs(Store store) {
    this(store, BuildLimits.defaults());
  }

  public ImageRootfs(Store store, BuildLimits limits) {
    this.store = store;
    this.builder = new RootfsBuilder(limits);
  }

  /** A pulled image with its rootfs. */
  public record Pulled(PulledImage image, Path rootfs, boolean built) {}

  /**
   * Pulls {@code ref} and flattens it, applying each layer as it downloads. The image is recorded
   * in the store only when every blob is verified and the rootfs is complete; a hostile layer
   * leaves the store as it was before the pull.
   */
  public Pulled pull(ImageReference ref, PullOptions options, PullListener pullListener, BuildListener buildListener)
      throws FetchException, RootfsException {
    Set<Digest> brought = null;
    PullSession session = new ImagePuller(store).begin(ref, options, pullListener);
    try {
      ImageManifest manifest = session.manifest();
      Path target = store.rootfsDir(manifest.digest());
      boolean built = false;
      try (StoreLocks.Held ignored = store.locks().exclusive(store.rootfsLock(manifest.digest()))) {
        session.startDownloads();
        if (!Files.isDirectory(target)) {
          try {
            builder.build(sources(manifest, session.config(), session::openLayer), store.tmp(), target, buildListener);
            built = true;
          } catch (RootfsException e) {
            // A stream that a download cut or corrupted can fail the build (a CRC error, a short
            // tar) a moment before the download itself reports why: wait for the downloads, so
            // that the registry's failure, not the layer, is what the user hears about.
            session.awaitDownloads();
            brought = manifest.blobs();
            throw e;
          }
        }
        return new Pulled(session.commit(), target, built);
      }
    } finally {
      session.close();
      if (brought != null) {
        // Nothing names the blobs of a refused image: remove them, so the store is as it was.
        try {
          new GarbageCollector(store).collectOnly(brought);
        } catch (FetchException cleanup) {
          // The refusal is what the user must hear; unnamed blobs go at the next prune anyway.
        }
      }
    }
  }

  /** The rootfs of a stored image if it is built (a build renames it into place when complete). */
  public Optional<Path> built(StoredImage image) {
    Path target = store.rootfsDir(image);
    return Files.isDirectory(target) ? Optional.of(target) : Optional.empty();
  }

  /** The rootfs of a stored image, built now from its stored blobs if it is missing. */
  public Path ensure(StoredImage image, BuildListener listener) throws FetchException, RootfsException {
    Optional<Path> built = built(image);
    if (built.isPresent()) {
      return built.get();
    }
    Path target = store.rootfsDir(image);
    try (StoreLocks.Held gc = store.locks().shared(Store.GC_LOCK);
        StoreLocks.Held lock = store.locks().exclusive(store.rootfsLock(image.manifest().digest()))) {
      if (Files.isDirectory(target)) {
        return target; // another process built it while we waited
      }
      ImageManifest manifest = store.manifest(image);
      ImageConfig config = store.config(manifest, image.reference());
      builder.build(sources(manifest, config, i -> store.openVerified(manifest.layers().get(i).digest())),
          store.tmp(), target, listener);
      return target;
    }
  }

  /** The file a running container holds a shared lock on (pass it to the helper). */
  public Path lockFile(StoredImage image) {
    return store.lockFile(store.rootfsLock(image.manifest().digest()));
  }

  /**
   * Deletes the rootfs of the image with this manifest, unless a container uses it.
   *
   * @return false when it is in use and was left for a later {@link #prune}
   */
  public boolean remove(Digest manifestDigest) throws FetchException, RootfsException {
    return remove(store.rootfsDir(manifestDigest));
  }

  private boolean remove(Path rootfs) throws FetchException, RootfsException {
    Optional<StoreLocks.Held> lock = store.locks().tryExclusive(store.rootfsLock(rootfs));
    if (lock.isEmpty()) {
      return false;
    }
    try (StoreLocks.Held ignored = lock.get()) {
      RootfsRemover.remove(rootfs);
      return true;
    }
  }

  /**
   * Deletes rootfs trees no stored image names (unless in use) and the remains of builds that
   * were killed. Returns how many trees went.
   *
   * <p>Holds the store's GC lock exclusively, as blob collection does: a pull holds it shared from
   * its first byte to its commit, so the list of named images cannot miss an image whose rootfs
   * is being built.
   */
  public int prune() throws FetchException, RootfsException {
    try (StoreLocks.Held ignored = store.locks().exclusive(Store.GC_LOCK)) {
      int removed = RootfsRemover.removeStaleBuilds(store.tmp());
      Set<Path> named = store.images().stream().map(store::rootfsDir).collect(Collectors.toSet());
      for (Path d : orphans(named)) {
        if (remove(d)) {
          removed++;
        }
      }
      return removed;
    }
  }

  private List<Path> orphans(Set<Path> named) throws FetchException {
    Path dir = store.rootfsDirs();
    List<Path> orphans = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dir)) {
      for (Path d : dirs) {
        if (!named.contains(d)) {
          orphans.add(d);
        }
      }
    } catch (IOException e) {
      throw Store.failure("cannot list " + dir, e);
    }
    return orphans;
  }

  @FunctionalInterface
  private interface LayerOpener {
    InputStream open(int index) throws IOException;
  }

  private static List<LayerSource> sources(ImageManifest manifest, ImageConfig config, LayerOpener opener) {
    List<LayerSource> out = new ArrayList<>();
    int n = manifest.layers().size();
    for (int i = 0; i < n; i++) {
      Descriptor layer = manifest.layers().get(i);
      int index = i;
      out.add(new LayerSource("layer " + (i + 1) + "/" + n + " " + layer.digest().shortHex(),
          config.diffIds().get(i), () -> opener.open(index)));
    }
    return out;
  }
}
