package org.nsroot.fetch.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.Json;
import org.nsroot.fetch.manifest.MediaTypes;
import org.nsroot.fetch.manifest.Platform;

/** Writes the OCI manifests and configs that imports need (a docker save has no manifest blob). */
final class ManifestFactory {
  private ManifestFactory() {}

  /** The config docker import gives a plain rootfs: a PATH and a shell. */
  static byte[] defaultConfig(Platform platform, Digest diffId) {
    ObjectNode c = Json.object();
    c.put("architecture", platform.architecture());
    c.put("os", platform.os());
    if (!platform.variant().isEmpty()) {
      c.put("variant", platform.variant());
    }
    ObjectNode config = c.putObject("config");
    config.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    config.putArray("Cmd").add("/bin/sh");
    ObjectNode rootfs = c.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids").add(diffId.toString());
    return bytes(c);
  }

  static byte[] manifest(Descriptor config, List<Descriptor> layers) {
    ObjectNode m = Json.object();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    put(m.putObject("config"), config);
    ArrayNode ls = m.putArray("layers");
    for (Descriptor l : layers) {
      put(ls.addObject(), l);
    }
    return bytes(m);
  }

  private static void put(ObjectNode o, Descriptor d) {
    o.put("mediaType", d.mediaType());
    o.put("digest", d.digest().toString());
    o.put("size", d.size());
  }

  private static byte[] bytes(ObjectNode node) {
    return Json.bytes(node);
  }
}
