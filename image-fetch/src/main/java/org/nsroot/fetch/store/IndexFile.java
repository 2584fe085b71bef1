package org.nsroot.fetch.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.digest.InvalidDigestException;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.Json;
import org.nsroot.fetch.manifest.MediaTypes;
import org.nsroot.fetch.manifest.Platform;

/**
 * The store's {@code index.json}: an OCI image index whose entries are the stored images, named
 * with the standard {@code org.opencontainers.image.ref.name} annotation so that skopeo and umoci
 * can read the store as a layout.
 */
final class IndexFile {
  static final String REF_NAME = "org.opencontainers.image.ref.name";
  static final String INDEX_DIGEST = "org.nsroot.index.digest";
  static final String PULLED = "org.nsroot.pulled";
  static final String CONTENT_SIZE = "org.nsroot.content.size";

  private IndexFile() {}

  static byte[] empty() {
    return serialise(List.of());
  }

  static List<StoredImage> read(Path file) throws StoreException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      JsonNode root = Json.read(bytes);
      JsonNode manifests = root.get("manifests");
      if (manifests == null || !manifests.isArray()) {
        throw new IOException("no 'manifests' list");
      }
      List<StoredImage> images = new ArrayList<>();
      for (JsonNode m : manifests) {
        images.add(entry(m));
      }
      return images;
    } catch (IOException | InvalidDigestException | DateTimeParseException | IllegalArgumentException e) {
      throw new StoreCorruptException(
          "the store index " + file + " is damaged (" + e.getMessage() + "); move it aside and pull "
              + "your images again: blobs already in the store are reused, not downloaded");
    }
  }

  private static StoredImage entry(JsonNode m) throws InvalidDigestException {
    JsonNode a = m.path("annotations");
    JsonNode p = m.get("platform");
    Platform platform =
        p != null && p.has("os") && p.has("architecture")
            ? new Platform(p.get("os").asText(), p.get("architecture").asText(), p.path("variant").asText(""))
            : null;
    Descriptor d =
        new Descriptor(m.path("mediaType").asText(MediaTypes.OCI_MANIFEST), Digest.parse(m.path("digest").asText()),
            m.path("size").asLong());
    String ref = a.path(REF_NAME).asText("");
    String index = a.path(INDEX_DIGEST).asText("");
    String pulled = a.path(PULLED).asText("");
    return new StoredImage(
        ref,
        d,
        platform,
        index.isEmpty() ? null : Digest.parse(index),
        pulled.isEmpty() ? Instant.EPOCH : Instant.parse(pulled),
        a.path(CONTENT_SIZE).asLong(0));
  }

  static byte[] serialise(List<StoredImage> images) {
    ObjectNode root = Json.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_INDEX);
    ArrayNode list = root.putArray("manifests");
    for (StoredImage image : images) {
      ObjectNode m = list.addObject();
      m.put("mediaType", image.manifest().mediaType());
      m.put("digest", image.manifest().digest().toString());
      m.put("size", image.manifest().size());
      if (image.platform() != null) {
        Json.putPlatform(m, image.platform());
      }
      ObjectNode a = m.putObject("annotations");
      a.put(REF_NAME, image.reference());
      if (image.indexDigest() != null) {
        a.put(INDEX_DIGEST, image.indexDigest().toString());
      }
      a.put(PULLED, image.pulled().toString());
      a.put(CONTENT_SIZE, Long.toString(image.contentSize()));
    }
    return Json.pretty(root);
  }
}
