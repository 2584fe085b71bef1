package org.nsroot.fetch.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.ImageManifest;
import org.nsroot.fetch.manifest.ManifestParser;
import org.nsroot.fetch.manifest.MediaTypes;
import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoreLocks;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.fetch.store.TreeDeleter;

/**
 * {@code nsroot import}: images from files, for machines that never see a registry. It reads a
 * {@code docker save} tarball, a plain rootfs tarball as {@code docker export} writes it, an OCI
 * layout directory or an OCI archive, and verifies everything as a pull does.
 *
 * <p>This lives beside the pull rather than in rootfs-builder (DESIGN.md's table): an import is
 * another way for blobs to enter the store, and it never looks inside a layer.
 */
public final class ImageImporter {
  private final Store store;
  private final Platform platform;

  /** @param platform the platform to choose from an index, and to give a plain rootfs */
  public ImageImporter(Store store, Platform platform) {
    this.store = store;
    this.platform = platform;
  }

  /**
   * Imports from {@code source}: a directory (OCI layout) or a file; {@code null} reads the
   * archive from {@code stdin}.
   *
   * @param name the reference to store the image as, or null to use the names the archive gives
   */
  public List<StoredImage> importFrom(Path source, InputStream stdin, String name) throws FetchException {
    ImageReference forcedName = name == null ? null : ImageReference.parse(name);
    try (StoreLocks.Held ignored = store.locks().shared(Store.GC_LOCK)) {
      if (source != null && Files.isDirectory(source)) {
        return new OciLayoutImport(store, platform, this).fromDirectory(source, forcedName);
      }
      Path file = source;
      Path copy = null;
      try {
        if (source == null) {
          copy = store.newTempFile("import-stdin-");
          Files.copy(stdin, copy, StandardCopyOption.REPLACE_EXISTING);
          file = copy;
        } else if (!Files.isRegularFile(source)) {
          throw new ImportException("cannot import " + source + ": no such file or directory");
        }
        String label = source == null ? "standard input" : source.toString();
        return switch (ArchiveEntries.kind(file)) {
          case OCI_ARCHIVE -> new OciLayoutImport(store, platform, this).fromArchive(file, forcedName, label);
          case DOCKER_SAVE -> new DockerSaveImport(store, this).run(file, forcedName, label);
          case ROOTFS -> List.of(rootfs(file, forcedName != null ? forcedName : defaultName(source)));
        };
      } catch (IOException e) {
        throw new ImportException("cannot import " + (source == null ? "standard input" : source) + ": "
            + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
      } finally {
        if (copy != null) {
          try {
            Files.deleteIfExists(copy);
          } catch (IOException ignoredToo) {
            // tmp/ is cleaned by prune
          }
        }
      }
    }
  }

  /** A plain rootfs tarball: one layer and docker import's default config. */
  private StoredImage rootfs(Path file, ImageReference name) throws FetchException, IOException {
    Path staged = store.newTempFile("import-layer-");
    try {
      Hashing.Copied raw;
      try (InputStream in = Files.newInputStream(file)) {
        raw = Hashing.toFile(in, staged);
      }
      ArchivedLayer layer = ArchivedLayer.of(staged, raw.digest(), raw.size());
      store.adopt(staged, raw.digest());
      byte[] config = ManifestFactory.defaultConfig(platform, layer.diffId());
      return record(name, config, List.of(layer.descriptor()), null);
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  /** Stores config and manifest for layers already in the store, and records the image. */
  StoredImage record(ImageReference name, byte[] config, List<Descriptor> layers, Digest indexDigest)
      throws FetchException {
    Digest configDigest = Digest.sha256Of(config);
    store.putBlob(configDigest, config, "import");
    Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, configDigest, config.length);
    byte[] manifest = ManifestFactory.manifest(configDescriptor, layers);
    Digest manifestDigest = Digest.sha256Of(manifest);
    store.putBlob(manifestDigest, manifest, "import");
    ImageManifest m = (ImageManifest) ManifestParser.parse(manifest, manifestDigest, null, name.toString());
    return record(name, m, ImageConfig.parse(config, name.toString()), indexDigest);
  }

  /** Records an image whose blobs are all stored and verified. */
  StoredImage record(ImageReference name, ImageManifest manifest, ImageConfig config, Digest indexDigest)
      throws FetchException {
    if (config.diffIds().size() != manifest.layers().size()) {
      throw new ImportException("the config of " + name + " lists " + config.diffIds().size()
          + " layer digests for " + manifest.layers().size() + " layers");
    }
    StoredImage image = new StoredImage(name.toString(), manifest.descriptor(),
        config.platform() != null ? config.platform() : platform, indexDigest, Instant.now(), manifest.contentSize());
    store.record(image);
    return image;
  }

  /** {@code localhost/imported/NAME:latest}, from the file name: never a name a registry would answer to. */
  static ImageReference defaultName(Path source) throws FetchException {
    String base = source == null ? "stdin" : source.getFileName().toString().toLowerCase(Locale.ROOT);
    base = base.replaceAll("\\.(tar|tgz|tar\\.gz|tar\\.zst|tzst|gz|zst)$", "").replaceAll("\\.tar$", "");
    base = base.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return ImageReference.parse("localhost/imported/" + (base.isEmpty() ? "image" : base) + ":latest");
  }

  static void deleteQuietly(Path p) {
    try {
      TreeDeleter.delete(p);
    } catch (IOException ignored) {
      // tmp/ is cleaned by prune
    }
  }

  static List<ImageReference> names(List<String> texts, String where) throws ImportException {
    List<ImageReference> out = new ArrayList<>();
    for (String t : texts) {
      try {
        out.add(ImageReference.parse(t));
      } catch (FetchException e) {
        throw new ImportException(where + " names an image '" + t + "' that is not a valid reference; pass --name");
      }
    }
    return out;
  }
}
