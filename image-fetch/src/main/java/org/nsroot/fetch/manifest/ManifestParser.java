package org.nsroot.fetch.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.digest.InvalidDigestException;

/**
 * Reads manifests and indexes from their exact bytes. It refuses what is ambiguous or what nsroot
 * cannot run, with a message that says which (catalogue D4, D6).
 */
public final class ManifestParser {
  /** Registries and containerd cap manifests at 4 MiB (D5). */
  public static final int MAX_MANIFEST_BYTES = 4 << 20;

  private ManifestParser() {}

  /**
   * Parses {@code raw}, whose digest is {@code digest}.
   *
   * @param contentType the Content-Type the registry sent, or null when read from a store
   * @param where names the source for messages, such as {@code quay.io/biocontainers/x:1}
   */
  public static ManifestDocument parse(byte[] raw, Digest digest, String contentType, String where)
      throws ManifestException {
    if (raw.length > MAX_MANIFEST_BYTES) {
      throw new ManifestException(
          "manifest of " + where + " is " + raw.length + " bytes, more than the " + MAX_MANIFEST_BYTES + " allowed");
    }
    JsonNode root = readTree(raw, "manifest of " + where);
    JsonNode version = root.get("schemaVersion");
    if (version == null || !version.isInt()) {
      throw new ManifestException("manifest of " + where + " has no integer schemaVersion");
    }
    if (version.intValue() == 1) {
      throw new ManifestException(
          where + " has a Docker schema 1 manifest, which nsroot does not support (it has no image "
              + "config); pull a newer tag or ask its publisher to push it with a current docker");
    }
    if (version.intValue() != 2) {
      throw new ManifestException(
          "manifest of " + where + " has schemaVersion " + version.intValue() + "; only 2 is supported");
    }
    String mediaType = text(root, "mediaType");
    boolean hasManifests = root.has("manifests");
    boolean hasLayers = root.has("layers") || root.has("config");
    if (hasManifests && hasLayers) {
      throw new ManifestException(
          "manifest of " + where + " is ambiguous: it has both 'manifests' and 'layers'/'config' "
              + "(a known attack, CVE-2021-41190); refusing it");
    }
    String declared = baseType(contentType);
    if (mediaType != null && declared != null && isManifestType(declared) && !declared.equals(mediaType)) {
      throw new ManifestException(
          "manifest of " + where + " says it is " + mediaType + " but the registry sent it as " + declared);
    }
    String kind = mediaType != null ? mediaType : declared != null && isManifestType(declared) ? declared : null;
    if (kind == null) {
      kind = hasManifests ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }
    if (kind.equals(MediaTypes.DOCKER_SCHEMA1) || kind.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)) {
      throw new ManifestException(where + " has a Docker schema 1 manifest, which nsroot does not support");
    }
    if (MediaTypes.INDEXES.contains(kind)) {
      if (!hasManifests) {
        throw new ManifestException("index of " + where + " has no 'manifests' list");
      }
      return new ImageIndex(kind, raw, digest, descriptors(root.get("manifests"), "index of " + where));
    }
    if (MediaTypes.MANIFESTS.contains(kind)) {
      JsonNode config = root.get("config");
      if (config == null || !config.isObject()) {
        throw new ManifestException("manifest of " + where + " has no 'config'");
      }
      Descriptor configDescriptor = descriptor(config, "config of " + where);
      if (!MediaTypes.CONFIGS.contains(configDescriptor.mediaType())) {
        throw new ManifestException(
            where + " is not a container image: its config is " + configDescriptor.mediaType());
      }
      List<Descriptor> layers = descriptors(root.get("layers"), "manifest of " + where);
      for (Descriptor layer : layers) {
        checkLayer(layer, where);
      }
      return new ImageManifest(kind, raw, digest, configDescriptor, layers);
    }
    throw new ManifestException("manifest of " + where + " has unsupported media type " + kind);
  }

  private static void checkLayer(Descriptor layer, String where) throws ManifestException {
    if (!MediaTypes.LAYERS.contains(layer.mediaType())) {
      throw new ManifestException(
          where + " has a layer of unsupported type " + layer.mediaType() + " (" + layer.digest().shortHex() + ")");
    }
    if (!layer.urls().isEmpty()) {
      // Foreign layers point at arbitrary URLs, private addresses included (D6): never fetched.
      throw new ManifestException(
          where + " has a foreign layer " + layer.digest().shortHex()
              + " that must be fetched from external URLs; nsroot does not fetch those");
    }
  }

  static JsonNode readTree(byte[] raw, String what) throws ManifestException {
    try {
      JsonNode node = Json.read(raw);
      if (!node.isObject()) {
        throw new ManifestException(what + " is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ManifestException(what + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ManifestException(what + " could not be read: " + e.getMessage(), e);
    }
  }

  private static List<Descriptor> descriptors(JsonNode list, String what) throws ManifestException {
    if (list == null || !list.isArray()) {
      throw new ManifestException(what + " lacks a list of descriptors");
    }
    List<Descriptor> out = new ArrayList<>();
    for (JsonNode item : list) {
      out.add(descriptor(item, what));
    }
    return out;
  }

  static Descriptor descriptor(JsonNode node, String what) throws ManifestException {
    if (!node.isObject()) {
      throw new ManifestException(what + " has a descriptor that is not an object");
    }
    String mediaType = text(node, "mediaType");
    if (mediaType == null) {
      throw new ManifestException(what + " has a descriptor without mediaType");
    }
    Digest digest;
    try {
      digest = Digest.parse(text(node, "digest"));
    } catch (InvalidDigestException e) {
      throw new ManifestException(what + ": " + e.getMessage());
    }
    JsonNode size = node.get("size");
    if (size == null || !size.canConvertToLong() || size.longValue() < 0) {
      throw new ManifestException(what + " has a descriptor for " + digest.shortHex() + " without a valid size");
    }
    Platform platform = null;
    JsonNode p = node.get("platform");
    if (p != null && p.isObject() && text(p, "os") != null && text(p, "architecture") != null) {
      platform = new Platform(text(p, "os"), text(p, "architecture"), text(p, "variant"));
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    JsonNode a = node.get("annotations");
    if (a != null && a.isObject()) {
      a.fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    }
    List<String> urls = new ArrayList<>();
    JsonNode u = node.get("urls");
    if (u != null && u.isArray()) {
      u.forEach(x -> urls.add(x.asText()));
    }
    return new Descriptor(mediaType, digest, size.longValue(), platform, annotations, urls);
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  private static String baseType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim();
  }

  private static boolean isManifestType(String type) {
    return MediaTypes.INDEXES.contains(type) || MediaTypes.MANIFESTS.contains(type)
        || type.equals(MediaTypes.DOCKER_SCHEMA1) || type.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED);
  }
}
