package org.nsroot.fetch.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.digest.InvalidDigestException;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.ImageIndex;
import org.nsroot.fetch.manifest.ImageManifest;
import org.nsroot.fetch.manifest.ManifestDocument;
import org.nsroot.fetch.manifest.ManifestParser;
import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.manifest.PlatformSelector;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;

/** Imports the images of an OCI layout, as a directory or as an archive of one. */
final class OciLayoutImport {
  private static final int MAX_INDEX_BYTES = 4 << 20;

  private final Store store;
  private final Platform platform;
  private final ImageImporter importer;

  OciLayoutImport(Store store, Platform platform, ImageImporter importer) {
    this.store = store;
    this.platform = platform;
    this.importer = importer;
  }

  List<StoredImage> fromDirectory(Path dir, ImageReference name) throws FetchException {
    Path index = dir.resolve("index.json");
    if (!Files.isRegularFile(dir.resolve("oci-layout")) || !Files.isRegularFile(index)) {
      throw new ImportException(dir + " is not an OCI image layout (it lacks oci-layout or index.json)");
    }
    try {
      if (Files.size(index) > MAX_INDEX_BYTES) {
        throw new ImportException(index + " is larger than " + MAX_INDEX_BYTES + " bytes");
      }
      byte[] indexBytes = Files.readAllBytes(index);
      return images(indexBytes, name, dir.toString(), d -> copyFromDirectory(dir, d));
    } catch (IOException e) {
      throw new ImportException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  List<StoredImage> fromArchive(Path file, ImageReference name, String label) throws FetchException, IOException {
    byte[] indexBytes = null;
    try (TarArchiveInputStream tar = ArchiveEntries.open(file)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String n = ArchiveEntries.normalise(e.getName());
        if (!e.isFile()) {
          continue;
        }
        if (n.equals("index.json")) {
          if (e.getSize() > MAX_INDEX_BYTES) {
            throw new ImportException("index.json of " + label + " is larger than " + MAX_INDEX_BYTES + " bytes");
          }
          indexBytes = tar.readAllBytes();
        } else if (n.startsWith("blobs/")) {
          Digest d = blobName(n, label);
          store.putBlob(d, e.getSize(), tar, label);
        }
      }
    }
    if (indexBytes == null) {
      throw new ImportException(label + " is an OCI archive without index.json");
    }
    return images(indexBytes, name, label, d -> {
      if (!store.hasBlob(d.digest(), d.size())) {
        throw new ImportException(label + " lacks the blob " + d.digest() + " that its index names");
      }
    });
  }

  private static Digest blobName(String entry, String label) throws ImportException {
    String[] parts = entry.split("/");
    try {
      if (parts.length != 3) {
        throw new InvalidDigestException("not blobs/ALGORITHM/HEX");
      }
      return Digest.parse(parts[1] + ":" + parts[2]);
    } catch (InvalidDigestException ex) {
      throw new ImportException(label + " has a blob entry '" + entry + "' that is not a valid digest: " + ex.getMessage());
    }
  }

  private void copyFromDirectory(Path dir, Descriptor d) throws FetchException {
    if (store.hasBlob(d.digest(), d.size())) {
      return;
    }
    Path file = dir.resolve("blobs").resolve(d.digest().algorithm()).resolve(d.digest().hex());
    try (InputStream in = Files.newInputStream(file)) {
      store.putBlob(d.digest(), d.size(), in, dir.toString());
    } catch (NoSuchFileException e) {
      throw new ImportException(dir + " lacks the blob " + d.digest() + " that its index names");
    } catch (IOException e) {
      throw new ImportException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface BlobSource {
    void ensure(Descriptor d) throws FetchException;
  }

  private List<StoredImage> images(byte[] indexBytes, ImageReference forced, String label, BlobSource blobs)
      throws FetchException {
    ManifestDocument top = ManifestParser.parse(indexBytes, Digest.sha256Of(indexBytes), null, label);
    if (!(top instanceof ImageIndex index) || index.manifests().isEmpty()) {
      throw new ImportException(label + " has no images in its index.json");
    }
    List<Descriptor> entries = index.manifests();
    if (forced != null && entries.size() > 1) {
      entries = List.of(PlatformSelector.select(index, platform, label));
    }
    List<StoredImage> out = new ArrayList<>();
    for (Descriptor entry : entries) {
      ImageReference name = forced != null ? forced : nameOf(entry, label);
      Digest indexDigest = null;
      Descriptor chosen = entry;
      blobs.ensure(entry);
      ManifestDocument doc = store.document(entry, label);
      if (doc instanceof ImageIndex nested) {
        indexDigest = entry.digest();
        chosen = PlatformSelector.select(nested, platform, label);
        blobs.ensure(chosen);
        doc = store.document(chosen, label);
      }
      if (!(doc instanceof ImageManifest m)) {
        throw new ImportException(label + " nests indexes deeper than nsroot reads");
      }
      blobs.ensure(m.config());
      for (Descriptor layer : m.layers()) {
        blobs.ensure(layer);
      }
      ImageConfig config = store.config(m, label);
      out.add(importer.record(name, m, config, indexDigest));
    }
    return out;
  }

  private static ImageReference nameOf(Descriptor entry, String label) throws ImportException {
    String ref = entry.annotations().get("org.opencontainers.image.ref.name");
    if (ref == null || ref.isEmpty()) {
      throw new ImportException(label + " has an image without a name (org.opencontainers.image.ref.name); pass --name");
    }
    return ImageImporter.names(List.of(ref), label).get(0);
  }
}
