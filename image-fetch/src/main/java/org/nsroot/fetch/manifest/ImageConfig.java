package org.nsroot.fetch.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.digest.InvalidDigestException;

/**
 * The parts of an image config that nsroot uses: how to run the image and the uncompressed digest
 * of each layer. The raw bytes are kept for {@code inspect}.
 */
public record ImageConfig(
    byte[] raw,
    Platform platform,
    String created,
    List<String> env,
    List<String> entrypoint, // null when the image sets none
    List<String> cmd, // null when the image sets none
    String workingDir,
    String user,
    List<Digest> diffIds) {

  /** Docker caps configs at a few MiB; ours allows a generous history (D5). */
  public static final int MAX_CONFIG_BYTES = 8 << 20;

  /** Parses a config blob, already verified against its digest. */
  public static ImageConfig parse(byte[] raw, String where) throws ManifestException {
    if (raw.length > MAX_CONFIG_BYTES) {
      throw new ManifestException("config of " + where + " is larger than " + MAX_CONFIG_BYTES + " bytes");
    }
    JsonNode root = ManifestParser.readTree(raw, "config of " + where);
    String os = ManifestParser.text(root, "os");
    String arch = ManifestParser.text(root, "architecture");
    Platform platform =
        os != null && arch != null ? new Platform(os, arch, ManifestParser.text(root, "variant")) : null;
    JsonNode config = root.path("config");
    List<Digest> diffIds = new ArrayList<>();
    JsonNode ids = root.path("rootfs").path("diff_ids");
    if (!ids.isArray()) {
      throw new ManifestException("config of " + where + " has no rootfs.diff_ids");
    }
    for (JsonNode id : ids) {
      try {
        diffIds.add(Digest.parse(id.asText()));
      } catch (InvalidDigestException e) {
        throw new ManifestException("config of " + where + " has a bad diff_id: " + e.getMessage());
      }
    }
    return new ImageConfig(
        raw,
        platform,
        ManifestParser.text(root, "created"),
        orEmpty(strings(config.get("Env"), "Env", where)),
        strings(config.get("Entrypoint"), "Entrypoint", where),
        strings(config.get("Cmd"), "Cmd", where),
        ManifestParser.text(config, "WorkingDir"),
        ManifestParser.text(config, "User"),
        diffIds);
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  /** The strings of a JSON list; null when the field is absent or null. */
  private static List<String> strings(JsonNode node, String field, String where) throws ManifestException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw new ManifestException("config of " + where + " has a " + field + " that is not a list");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new ManifestException("config of " + where + " has a non-string entry in " + field);
      }
      out.add(item.textValue());
    }
    return List.copyOf(out);
  }
}
