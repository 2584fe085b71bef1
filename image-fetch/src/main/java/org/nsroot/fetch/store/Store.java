package org.nsroot.fetch.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.digest.InvalidDigestException;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.ImageManifest;
import org.nsroot.fetch.manifest.ManifestDocument;
import org.nsroot.fetch.manifest.ManifestParser;

/**
 * The local content-addressed store, an OCI image layout (see DESIGN.md "The store").
 *
 * <pre>
 *   oci-layout, index.json   readable by skopeo and umoci
 *   blobs/sha256/HEX         verified content, renamed in from tmp/
 *   rootfs/ID/               flattened images (written by rootfs-builder)
 *   tmp/                     work in progress; may be deleted at any time
 *   locks/                   file locks
 * </pre>
 *
 * Every directory is private to the user (0700) from the moment it is created (H8).
 */
public final class Store {
  /** Held while index.json is rewritten (through a temporary file in tmp/). */
  static final String INDEX_LOCK = "index";
  /** Pulls hold it shared; deleting blobs holds it exclusive, so nothing vanishes mid-pull. */
  public static final String GC_LOCK = "gc";

  private final Path root;
  private final StoreLocks locks;

  private Store(Path root) {
    this.root = root;
    this.locks = new StoreLocks(root.resolve("locks"));
  }

  /**
   * The store location: {@code $NSROOT_HOME}, else {@code ${XDG_DATA_HOME:-$HOME/.local/share}/nsroot}.
   */
  public static Path defaultRoot() {
    return defaultRoot(System.getenv());
  }

  /** The store location for the given environment. */
  public static Path defaultRoot(Map<String, String> env) {
    String home = env.get("NSROOT_HOME");
    if (home != null && !home.isEmpty()) {
      return Paths.get(home).toAbsolutePath();
    }
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isEmpty()) {
      return Paths.get(xdg, "nsroot").toAbsolutePath();
    }
    String userHome = env.get("HOME");
    if (userHome == null || userHome.isEmpty()) {
      userHome = System.getProperty("user.home");
    }
    return Paths.get(userHome, ".local", "share", "nsroot").toAbsolutePath();
  }

  /** Opens the store at {@code root}, creating its layout if needed. */
  public static Store open(Path root) throws StoreException {
    Store store = new Store(root.toAbsolutePath());
    store.init();
    return store;
  }

  private void init() throws StoreException {
    try {
      for (String dir : List.of("blobs/sha256", "rootfs", "tmp", "locks")) {
        Durable.createPrivateDirectories(root.resolve(dir));
      }
      Path layout = root.resolve("oci-layout");
      if (!Files.exists(layout)) {
        Durable.write(tmp(), layout, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      }
      if (!Files.exists(root.resolve("index.json"))) {
        try (StoreLocks.Held ignored = locks.exclusive(INDEX_LOCK)) {
          if (!Files.exists(root.resolve("index.json"))) {
            Durable.write(tmp(), root.resolve("index.json"), IndexFile.empty());
          }
        }
      }
    } catch (IOException e) {
      throw failure("cannot create the store at " + root, e);
    }
  }

  public Path root() {
    return root;
  }

  public StoreLocks locks() {
    return locks;
  }

  /** Work space on the store's filesystem, so that renames out of it are atomic. */
  public Path tmp() {
    return root.resolve("tmp");
  }

  public Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  /** Where the flattened rootfs of an image lives. */
  public Path rootfsDir(StoredImage image) {
    return rootfsDir(image.manifest().digest());
  }

  /** Where the flattened rootfs of the image with this manifest lives: stable for the same image. */
  public Path rootfsDir(Digest manifestDigest) {
    return rootfsDirs().resolve(manifestDigest.hex());
  }

  /** The directory of every rootfs tree. */
  public Path rootfsDirs() {
    return root.resolve("rootfs");
  }

  /** The name of the lock that builders take exclusively and running containers share. */
  public String rootfsLock(Digest manifestDigest) {
    return rootfsLock(rootfsDir(manifestDigest));
  }

  /** The lock of a rootfs tree, by its directory (also one no image names any more). */
  public String rootfsLock(Path rootfsDir) {
    return "rootfs-" + rootfsDir.getFileName();
  }

  /** The file behind a lock name, for processes that lock it themselves (the helper does). */
  public Path lockFile(String name) {
    return locks.file(name);
  }

  /** Whether the blob is present with the right size. Its bytes are verified when read. */
  public boolean hasBlob(Digest digest, long size) {
    try {
      return Files.size(blobPath(digest)) == size;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Opens a writer for a blob. The caller must hold {@link #blobLock} from {@link #locks()}, so
   * that one process downloads it and others wait.
   */
  public BlobWriter newWriter(Digest digest, long size) throws StoreException {
    return newWriter(digest, size, true);
  }

  private BlobWriter newWriter(Digest digest, long size, boolean resume) throws StoreException {
    try {
      Durable.createPrivateDirectories(blobPath(digest).getParent());
      return new BlobWriter(digest, size, tmp().resolve("blob-" + digest.algorithm() + "-" + digest.hex() + ".partial"),
          blobPath(digest), resume);
    } catch (IOException e) {
      throw failure("cannot write blob " + digest + " into " + tmp(), e);
    }
  }

  /** The name of the lock that guards the download of a blob. */
  public static String blobLock(Digest digest) {
    return "blob-" + digest.algorithm() + "-" + digest.hex();
  }

  /** Stores a small blob, such as a manifest or config, that is already in memory. */
  public void putBlob(Digest digest, byte[] bytes, String source) throws FetchException {
    putBlob(digest, bytes.length, new ByteArrayInputStream(bytes), source);
  }

  /**
   * Stores a blob read whole from {@code in}, verified against its digest and size; nothing when
   * the store has it already. (Not for downloads: they resume partial files, this starts afresh.)
   */
  public void putBlob(Digest digest, long size, InputStream in, String source) throws FetchException {
    if (hasBlob(digest, size)) {
      return;
    }
    try (StoreLocks.Held ignored = locks.exclusive(blobLock(digest))) {
      if (hasBlob(digest, size)) {
        return;
      }
      try (BlobWriter writer = newWriter(digest, size, false)) {
        try {
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) >= 0) {
            writer.write(buf, 0, n);
          }
        } catch (IOException e) {
          writer.discard(e);
          if (e instanceof BlobWriter.SizeExceededException) {
            throw new ContentMismatchException("size mismatch for " + digest + " from " + source + ": " + e.getMessage());
          }
          throw e;
        }
        writer.commit(source);
      }
    } catch (IOException e) {
      throw failure("cannot store blob " + digest, e);
    }
  }

  /**
   * Moves a file the caller wrote into {@code tmp/} and hashed itself into the store as the blob
   * {@code digest}. Used by imports, which must read a file whole before they know its digest.
   */
  public void adopt(Path staged, Digest digest) throws StoreException {
    try (StoreLocks.Held ignored = locks.exclusive(blobLock(digest))) {
      if (hasBlob(digest, Files.size(staged))) {
        Files.delete(staged);
        return;
      }
      try (FileChannel ch = FileChannel.open(staged, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("r--------"));
      Durable.moveIntoPlace(staged, blobPath(digest));
    } catch (IOException e) {
      throw failure("cannot store blob " + digest, e);
    }
  }

  /** A new private file in {@code tmp/}, for work that ends in {@link #adopt}. */
  public Path newTempFile(String prefix) throws StoreException {
    try {
      return Files.createTempFile(tmp(), prefix, ".tmp", Durable.PRIVATE_FILE);
    } catch (IOException e) {
      throw failure("cannot create a file in " + tmp(), e);
    }
  }

  /**
   * A stored manifest or index named by {@code d}: read, verified against its digest and size, and
   * parsed.
   *
   * @param where names the image, for messages
   */
  public ManifestDocument document(Descriptor d, String where) throws FetchException {
    byte[] raw = readBlob(d.digest(), ManifestParser.MAX_MANIFEST_BYTES);
    if (raw.length != d.size()) {
      throw new ContentMismatchException("size mismatch for the manifest " + d.digest()
          + " of " + where + ": " + raw.length + " bytes, not the " + d.size() + " its descriptor says");
    }
    return ManifestParser.parse(raw, d.digest(), null, where);
  }

  /** The image manifest of a stored image. */
  public ImageManifest manifest(StoredImage image) throws FetchException {
    if (document(image.manifest(), image.reference()) instanceof ImageManifest m) {
      return m;
    }
    throw new StoreCorruptException("the store records " + image.reference() + " with an index, not an image manifest");
  }

  /** The config a manifest names: read, verified and parsed. */
  public ImageConfig config(ImageManifest manifest, String where) throws FetchException {
    return ImageConfig.parse(readBlob(manifest.config().digest(), ImageConfig.MAX_CONFIG_BYTES), where);
  }

  /** Reads a small blob whole, checking its digest; a corrupt blob is deleted (H5). */
  public byte[] readBlob(Digest digest, int maxBytes) throws StoreException {
    try (InputStream in = openVerified(digest)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > maxBytes) {
          throw new StoreCorruptException("stored blob " + digest + " is larger than " + maxBytes + " bytes");
        }
      }
      return out.toByteArray();
    } catch (NoSuchFileException e) {
      throw new NotInStoreException("blob " + digest + " is missing from the store " + root + "; pull the image again");
    } catch (CorruptBlobException e) {
      throw new StoreCorruptException(e.getMessage());
    } catch (IOException e) {
      throw failure("cannot read blob " + digest, e);
    }
  }

  /**
   * A stream of a stored blob that throws at its end if the bytes do not match the digest; the
   * corrupt blob is then deleted so that the next pull fetches it again (H5).
   */
  public InputStream openVerified(Digest digest) throws IOException {
    Path path = blobPath(digest);
    Digest expected = digest; // DigestInputStream has a field named "digest" of its own
    MessageDigest hasher = digest.newHasher();
    return new DigestInputStream(Files.newInputStream(path), hasher) {
      private boolean checked;

      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
          check();
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
          check();
        }
        return n;
      }

      private void check() throws IOException {
        if (!checked) {
          checked = true;
          if (!expected.matches(hasher.digest())) {
            Files.deleteIfExists(path);
            throw new CorruptBlobException(
                "stored blob " + expected + " is corrupt (its bytes hash to something else); it was "
                    + "deleted: pull the image again to fetch it");
          }
        }
      }
    };
  }

  /** The stored images, in the order they were first stored. */
  public List<StoredImage> images() throws StoreException {
    return IndexFile.read(root.resolve("index.json"));
  }

  /** Records an image, replacing any record of the same reference. Its blobs must be stored. */
  public void record(StoredImage image) throws StoreException {
    updateIndex(images -> {
      images.removeIf(i -> i.reference().equals(image.reference()));
      images.add(image);
    });
  }

  /** Removes the records of the given references; returns those removed. */
  public List<StoredImage> forget(Predicate<StoredImage> match) throws StoreException {
    List<StoredImage> removed = new ArrayList<>();
    updateIndex(images -> {
      for (StoredImage i : images) {
        if (match.test(i)) {
          removed.add(i);
        }
      }
      images.removeAll(removed);
    });
    return removed;
  }

  private void updateIndex(Consumer<List<StoredImage>> change) throws StoreException {
    Path index = root.resolve("index.json");
    try (StoreLocks.Held ignored = locks.exclusive(INDEX_LOCK)) {
      List<StoredImage> images = new ArrayList<>(IndexFile.read(index));
      change.accept(images);
      Durable.write(tmp(), index, IndexFile.serialise(images));
    } catch (IOException e) {
      throw failure("cannot update " + index, e);
    }
  }

  /** Every blob digest in the store. Files that are not blobs are ignored (H5). */
  public Set<Digest> blobDigests() throws StoreException {
    Set<Digest> all = new HashSet<>();
    Path blobs = root.resolve("blobs");
    try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobs)) {
      for (Path alg : algorithms) {
        if (!Files.isDirectory(alg, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(alg)) {
          for (Path f : files) {
            try {
              all.add(Digest.parse(alg.getFileName() + ":" + f.getFileName()));
            } catch (InvalidDigestException ignored) {
              // Not ours: left alone.
            }
          }
        }
      }
    } catch (IOException e) {
      throw failure("cannot list " + blobs, e);
    }
    return all;
  }

  /** Deletes a blob; returns the bytes freed. The caller holds {@link #GC_LOCK} exclusively. */
  public long deleteBlob(Digest digest) throws StoreException {
    Path path = blobPath(digest);
    try {
      long size = Files.size(path);
      Files.delete(path);
      return size;
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw failure("cannot delete " + path, e);
    }
  }

  /** Maps I/O failures to store errors that say what to do. */
  public static StoreException failure(String what, IOException e) {
    String reason = e.getMessage();
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      reason = fse.getReason();
    }
    if (reason != null && (reason.contains("No space left") || reason.contains("Disk quota")
        || reason.contains("File too large"))) {
      return new StoreException(what + ": the disk is full; free some space (or run nsroot prune) and try again", e);
    }
    if (e instanceof AccessDeniedException) {
      return new StoreException(what + ": permission denied (" + e.getMessage() + "); check NSROOT_HOME", e);
    }
    return new StoreException(what + ": " + reason, e);
  }

  /** A stored blob whose bytes no longer match its name. */
  public static final class CorruptBlobException extends IOException {
    CorruptBlobException(String message) {
      super(message);
    }
  }

  /** The record of {@code reference}, if the store has it. */
  public Optional<StoredImage> get(String reference) throws StoreException {
    return images().stream().filter(i -> i.reference().equals(reference)).findFirst();
  }
}
