package org.nsroot.fetch.pull;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.ImageIndex;
import org.nsroot.fetch.manifest.ImageManifest;
import org.nsroot.fetch.manifest.ManifestDocument;
import org.nsroot.fetch.manifest.ManifestException;
import org.nsroot.fetch.manifest.ManifestParser;
import org.nsroot.fetch.manifest.MediaTypes;
import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.manifest.PlatformSelector;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.registry.RegistryClient;
import org.nsroot.fetch.registry.RegistryException;
import org.nsroot.fetch.registry.RegistryNotFoundException;
import org.nsroot.fetch.registry.RegistryUnavailableException;
import org.nsroot.fetch.store.BlobWriter;
import org.nsroot.fetch.store.NotInStoreException;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoreException;
import org.nsroot.fetch.store.StoreLocks;
import org.nsroot.fetch.store.StoredImage;

/**
 * One pull in progress. It holds the store's GC lock shared for its whole life, so that no blob it
 * relies on is deleted under it. The image is recorded in the store only by {@link #commit},
 * after every blob is verified and stored: a pull that dies leaves no image that looks complete.
 */
public final class PullSession implements AutoCloseable {
  private final Store store;
  private final ImageReference ref;
  private final PullOptions options;
  private final PullListener listener;
  private final RegistryClientFactory clients;
  private final StoreLocks.Held gcLock;
  private final Map<Digest, LayerState> layers = new LinkedHashMap<>();
  private final List<Future<?>> downloads = new ArrayList<>();
  private final AtomicLong downloaded = new AtomicLong();
  private RegistryClient client;
  private ExecutorService executor;
  private ImageManifest manifest;
  private ImageConfig config;
  private Digest indexDigest;
  private Platform platform;
  private StoredImage existing;
  private volatile boolean closing;

  PullSession(Store store, ImageReference ref, PullOptions options, PullListener listener, RegistryClientFactory clients)
      throws StoreException {
    this.store = store;
    this.ref = ref;
    this.options = options;
    this.listener = listener;
    this.clients = clients;
    this.gcLock = store.locks().shared(Store.GC_LOCK);
  }

  public ImageManifest manifest() {
    return manifest;
  }

  public ImageConfig config() {
    return config;
  }

  void resolve() throws FetchException {
    Optional<StoredImage> stored = StoreLookup.find(store, ref);
    if (options.offline()) {
      StoredImage image = stored.orElseThrow(() -> new NotInStoreException(
          ref + " is not in the store " + store.root() + ", and offline mode forbids pulling it"));
      if (!loadFromStore(image)) {
        throw new NotInStoreException(manifest == null
            ? (image.indexDigest() != null && !options.platform().accepts(image.platform())
                ? ref + " is in the store for " + image.platform() + ", not " + options.platform()
                : ref + " is incomplete in the store (its manifest or config is missing)")
                + ", and offline mode forbids pulling it"
            : ref + " is incomplete in the store (missing " + String.join(", ", missingLayers())
                + "), and offline mode forbids pulling it");
      }
      return;
    }
    if (stored.isPresent() && upToDate(stored.get())) {
      loadFromStore(stored.get());
      if (manifest != null) {
        return; // manifest and config are here: only missing layers are left to download
      }
    }
    fetchFromRegistry();
  }

  /** Whether the registry still has what we stored: a HEAD, not a rate-limited GET. */
  private boolean upToDate(StoredImage image) throws FetchException {
    if (ref.digest().isPresent()) {
      return true; // content addressed: it cannot have changed
    }
    Optional<Digest> remote;
    try {
      remote = client().headManifest(ref.repository(), ref.qualifier());
    } catch (RegistryNotFoundException e) {
      throw new RegistryNotFoundException(e.getMessage() + NotFoundHints.hint(ref, client()), e.errorCode());
    }
    Digest ours = image.indexDigestIfAny().orElse(image.manifest().digest());
    return remote.isPresent() && remote.get().equals(ours);
  }

  private boolean loadFromStore(StoredImage image) throws FetchException {
    if (image.indexDigest() != null && image.platform() != null && !options.platform().accepts(image.platform())) {
      return false; // chosen from an index for another platform than the one asked for now
    }
    Descriptor d = image.manifest();
    if (!store.hasBlob(d.digest(), d.size())) {
      return false;
    }
    ImageManifest m = store.manifest(image);
    if (!store.hasBlob(m.config().digest(), m.config().size())) {
      return false;
    }
    manifest = m;
    config = store.config(m, ref.toString());
    indexDigest = image.indexDigest();
    platform = image.platform();
    existing = image;
    checkLayerCount();
    return missingLayers().isEmpty();
  }

  private List<String> missingLayers() {
    List<String> missing = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      if (!store.hasBlob(layer.digest(), layer.size())) {
        missing.add(layer.digest().toString());
      }
    }
    return missing;
  }

  private void fetchFromRegistry() throws FetchException {
    RegistryClient.FetchedManifest top;
    try {
      top = client().getManifest(ref.repository(), ref.qualifier());
    } catch (RegistryNotFoundException e) {
      throw new RegistryNotFoundException(e.getMessage() + NotFoundHints.hint(ref, client()), e.errorCode());
    }
    ManifestDocument doc = ManifestParser.parse(top.raw(), top.digest(), top.contentType(), ref.toString());
    if (doc instanceof ImageIndex index) {
      Descriptor chosen = PlatformSelector.select(index, options.platform(), ref.toString());
      if (MediaTypes.INDEXES.contains(chosen.mediaType())) {
        throw new ManifestException(ref + " nests an index inside its index, which nsroot does not support");
      }
      store.putBlob(index.digest(), index.raw(), client().registry());
      indexDigest = index.digest();
      platform = chosen.platform();
      doc = platformManifest(chosen);
    }
    if (!(doc instanceof ImageManifest m)) {
      throw new ManifestException(ref + " does not resolve to an image manifest");
    }
    manifest = m;
    store.putBlob(m.digest(), m.raw(), client().registry());
    Descriptor c = m.config();
    if (c.size() > ImageConfig.MAX_CONFIG_BYTES) {
      throw new ManifestException(
          "the config of " + ref + " declares " + c.size() + " bytes, more than the " + ImageConfig.MAX_CONFIG_BYTES + " allowed");
    }
    if (!store.hasBlob(c.digest(), c.size())) {
      download(c, null);
    }
    config = store.config(m, ref.toString());
    if (platform == null) {
      platform = config.platform();
    }
    checkLayerCount();
  }

  private ManifestDocument platformManifest(Descriptor chosen) throws FetchException {
    if (store.hasBlob(chosen.digest(), chosen.size())) {
      return store.document(chosen, ref.toString());
    }
    RegistryClient.FetchedManifest fetched = client().getManifest(ref.repository(), chosen.digest().toString());
    if (fetched.raw().length != chosen.size()) {
      throw new ContentMismatchException("size mismatch for the manifest " + chosen.digest() + " of " + ref
          + ": the index says " + chosen.size() + " bytes, the registry sent " + fetched.raw().length);
    }
    return ManifestParser.parse(fetched.raw(), fetched.digest(), fetched.contentType(), ref.toString());
  }

  private void checkLayerCount() throws ManifestException {
    if (config.diffIds().size() != manifest.layers().size()) {
      throw new ManifestException("the config of " + ref + " lists " + config.diffIds().size()
          + " layer digests for " + manifest.layers().size() + " layers");
    }
  }

  private RegistryClient client() throws FetchException {
    if (client == null) {
      client = clients.create(ref, options.client());
    }
    return client;
  }

  /** Starts downloading every layer the store lacks, a few at a time. */
  public synchronized void startDownloads() throws FetchException {
    if (executor != null) {
      return;
    }
    listener.resolved(ref.toString(), manifest, config);
    List<Descriptor> missing = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      if (layers.containsKey(layer.digest())) {
        continue; // the same layer twice in one image: one download
      }
      LayerState state = new LayerState(layer.digest());
      layers.put(layer.digest(), state);
      if (store.hasBlob(layer.digest(), layer.size())) {
        state.stored();
        listener.layerQueued(layer, true);
        listener.layerDone(layer, false);
      } else {
        listener.layerQueued(layer, false);
        missing.add(layer);
      }
    }
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(Math.max(1, Math.min(options.jobs(), missing.size())), r -> {
      Thread t = new Thread(r, "nsroot-pull-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    if (!missing.isEmpty()) {
      client(); // created once, before the threads share it
    }
    for (Descriptor layer : missing) {
      LayerState state = layers.get(layer.digest());
      downloads.add(executor.submit(() -> {
        try {
          download(layer, state);
          return null;
        } catch (FetchException | RuntimeException e) {
          FetchException f = e instanceof FetchException fe ? fe
              : new RegistryException("download of " + layer.digest() + " failed: " + e, e);
          state.failed(f);
          throw f;
        }
      }));
    }
  }

  /**
   * Downloads one blob under its lock, so that concurrent pulls (threads or processes) fetch it
   * once: the others wait and then find it stored.
   */
  private void download(Descriptor blob, LayerState state) throws FetchException {
    String lockName = Store.blobLock(blob.digest());
    Optional<StoreLocks.Held> quick = store.locks().tryExclusive(lockName);
    if (quick.isEmpty() && state != null) {
      listener.layerWaiting(blob);
    }
    try (StoreLocks.Held ignored = quick.isPresent() ? quick.get() : store.locks().exclusive(lockName)) {
      if (store.hasBlob(blob.digest(), blob.size())) {
        if (state != null) {
          state.stored();
          listener.layerDone(blob, false);
        }
        return;
      }
      String source = client().registry() + "/" + ref.repository();
      for (int attempt = 1; ; attempt++) {
        // close() keeps the bytes of an unfinished download for the next pull, whatever stopped it.
        try (BlobWriter writer = store.newWriter(blob.digest(), blob.size())) {
          boolean resumed = writer.offset() > 0;
          if (state != null && !resumed) {
            // A resumed partial may turn out bad and be fetched again: its readers would fail
            // with the first attempt, so they wait for the stored blob instead.
            state.downloading(writer);
          }
          try {
            client().getBlob(ref.repository(), blob, writer, bytes -> {
              if (closing) {
                throw new CancellationException("the pull was closed");
              }
              downloaded.addAndGet(bytes);
              if (state != null) {
                listener.layerProgress(blob, bytes);
              }
            });
            writer.commit(source);
            break;
          } catch (ContentMismatchException e) {
            writer.discard(new IOException(e.getMessage(), e));
            if (resumed && attempt == 1) {
              continue; // the partial file from an earlier pull was bad: start over, once
            }
            throw e;
          } catch (IOException e) {
            if (closing) {
              // close() interrupted this thread, which closes the file under a write: what is
              // written is good, and kept for a resume.
              writer.suspend(e);
              throw new RegistryUnavailableException("the download of " + blob.digest() + " was stopped");
            }
            writer.discard(e); // the sink failed (a full disk): nothing of it is worth keeping
            throw Store.failure("cannot store blob " + blob.digest(), e);
          }
        }
      }
      if (state != null) {
        state.stored();
        listener.layerDone(blob, true);
      }
    }
  }

  /**
   * The compressed bytes of layer {@code index}: they stream as they download, and the stream
   * throws at its end if the download fails or does not verify.
   */
  public InputStream openLayer(int index) throws IOException {
    Descriptor layer = manifest.layers().get(index);
    LayerState state;
    synchronized (this) {
      state = layers.get(layer.digest());
    }
    if (state == null) {
      return store.openVerified(layer.digest());
    }
    return state.open(store);
  }

  /** Waits for every download; throws the first failure. */
  public void awaitDownloads() throws FetchException {
    for (Future<?> f : downloads) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof FetchException fe) {
          throw fe;
        }
        throw new RegistryException("download failed: " + e.getCause(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException("interrupted while downloading " + ref);
      }
    }
  }

  /** Waits for the downloads and records the image in the store. */
  public PulledImage commit() throws FetchException {
    startDownloads();
    awaitDownloads();
    StoredImage record = new StoredImage(
        ref.toString(), manifest.descriptor(), platform, indexDigest, Instant.now(), manifest.contentSize());
    boolean same = existing != null && existing.reference().equals(record.reference())
        && existing.manifest().digest().equals(record.manifest().digest());
    if (same) {
      record = existing;
    } else {
      store.record(record);
    }
    return new PulledImage(record, manifest, config, downloaded.get());
  }

  /**
   * Stops downloads still running (their partial bytes stay for a resume) and releases locks. The
   * GC lock is released only when no download writes into the store any more.
   */
  @Override
  public void close() {
    closing = true; // each download stops at its next chunk
    if (executor != null) {
      executor.shutdownNow();
      try {
        // A stalled read ends at the read timeout at the latest.
        executor.awaitTermination(options.client().readTimeout().toSeconds() + 5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    gcLock.close();
  }
}
