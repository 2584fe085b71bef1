package org.nsroot.rootfs.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes an OCI image layout (gzip layers) that umoci and skopeo can read, for peer comparisons. */
public final class OciLayout {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OciLayout() {}

  /** Writes {@code tars} as the layers of image {@code ref} under {@code dir}. */
  public static void write(Path dir, String ref, List<byte[]> tars) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "amd64").put("os", "linux");
    config.putObject("config");
    ObjectNode rootfs = config.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    ArrayNode layers = manifest.putArray("layers");
    for (byte[] tar : tars) {
      diffIds.add(Layers.sha256(tar));
      byte[] gz = Layers.compress(tar, Layers.Codec.GZIP);
      layers.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", blob(dir, gz), gz.length));
    }
    byte[] cfg = JSON.writeValueAsBytes(config);
    manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", blob(dir, cfg), cfg.length));
    byte[] man = JSON.writeValueAsBytes(manifest);
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    ObjectNode m = descriptor("application/vnd.oci.image.manifest.v1+json", blob(dir, man), man.length);
    m.putObject("annotations").put("org.opencontainers.image.ref.name", ref);
    index.putArray("manifests").add(m);
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
  }

  private static ObjectNode descriptor(String type, String digest, long size) {
    ObjectNode d = JSON.createObjectNode();
    d.put("mediaType", type).put("digest", digest).put("size", size);
    return d;
  }

  private static String blob(Path dir, byte[] b) throws IOException {
    String d = Layers.sha256(b);
    Files.write(dir.resolve("blobs/sha256/" + d.substring(7)), b);
    return d;
  }
}
