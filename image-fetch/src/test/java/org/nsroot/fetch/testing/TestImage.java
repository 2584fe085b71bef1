package org.nsroot.fetch.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image built by a test: layers, config and manifest, in OCI or Docker schema 2 form, with all
 * blobs kept by digest so a test can push them or check them.
 */
public final class TestImage {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final boolean oci;
  public final List<byte[]> layerBlobs = new ArrayList<>();
  public final List<String> layerTypes = new ArrayList<>();
  public final List<String> diffIds = new ArrayList<>();
  public final Map<String, byte[]> blobs = new LinkedHashMap<>();
  public byte[] config;
  public byte[] manifest;
  public String os = "linux";
  public String architecture = "amd64";
  public String variant = "";
  private final List<String> env = new ArrayList<>(List.of("PATH=/usr/local/bin:/usr/bin:/bin"));
  private final List<String> cmd = new ArrayList<>(List.of("/bin/sh"));

  private TestImage(boolean oci) {
    this.oci = oci;
  }

  public static TestImage oci() {
    return new TestImage(true);
  }

  public static TestImage docker() {
    return new TestImage(false);
  }

  public TestImage platform(String os, String architecture, String variant) {
    this.os = os;
    this.architecture = architecture;
    this.variant = variant;
    return this;
  }

  public TestImage env(String kv) {
    env.add(kv);
    return this;
  }

  public TestImage layer(byte[] tar, Compression c) throws IOException {
    byte[] blob = c.compress(tar);
    layerBlobs.add(blob);
    layerTypes.add(oci ? c.ociType : c.dockerType);
    diffIds.add(sha256(tar));
    blobs.put(sha256(blob), blob);
    return this;
  }

  /** Finishes config and manifest. */
  public TestImage build() throws IOException {
    ObjectNode cfg = JSON.createObjectNode();
    cfg.put("architecture", architecture);
    cfg.put("os", os);
    if (!variant.isEmpty()) {
      cfg.put("variant", variant);
    }
    cfg.put("created", "2026-01-01T00:00:00Z");
    ObjectNode c = cfg.putObject("config");
    ArrayNode e = c.putArray("Env");
    env.forEach(e::add);
    ArrayNode cm = c.putArray("Cmd");
    cmd.forEach(cm::add);
    ObjectNode rootfs = cfg.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode ids = rootfs.putArray("diff_ids");
    diffIds.forEach(ids::add);
    config = JSON.writeValueAsBytes(cfg);
    blobs.put(sha256(config), config);

    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", oci ? "application/vnd.oci.image.manifest.v1+json"
        : "application/vnd.docker.distribution.manifest.v2+json");
    ObjectNode cd = m.putObject("config");
    cd.put("mediaType", oci ? "application/vnd.oci.image.config.v1+json"
        : "application/vnd.docker.container.image.v1+json");
    cd.put("digest", sha256(config));
    cd.put("size", config.length);
    ArrayNode ls = m.putArray("layers");
    for (int i = 0; i < layerBlobs.size(); i++) {
      ObjectNode l = ls.addObject();
      l.put("mediaType", layerTypes.get(i));
      l.put("digest", sha256(layerBlobs.get(i)));
      l.put("size", layerBlobs.get(i).length);
    }
    manifest = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    return this;
  }

  public String manifestType() {
    return oci ? "application/vnd.oci.image.manifest.v1+json" : "application/vnd.docker.distribution.manifest.v2+json";
  }

  public String manifestDigest() {
    return sha256(manifest);
  }

  public String layerDigest(int i) {
    return sha256(layerBlobs.get(i));
  }

  /**
   * An OCI index (or Docker manifest list) over {@code images}, followed by {@code attestations}
   * marked the way BuildKit marks its provenance entries.
   */
  public static byte[] index(boolean oci, List<TestImage> images, List<TestImage> attestations) throws IOException {
    ObjectNode idx = JSON.createObjectNode();
    idx.put("schemaVersion", 2);
    idx.put("mediaType", oci ? "application/vnd.oci.image.index.v1+json"
        : "application/vnd.docker.distribution.manifest.list.v2+json");
    ArrayNode ms = idx.putArray("manifests");
    for (TestImage img : images) {
      descriptor(ms.addObject(), img);
    }
    for (TestImage att : attestations) {
      ObjectNode a = descriptor(ms.addObject(), att);
      a.putObject("annotations").put("vnd.docker.reference.type", "attestation-manifest")
          .put("vnd.docker.reference.digest", images.get(0).manifestDigest());
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(idx);
  }

  private static ObjectNode descriptor(ObjectNode d, TestImage img) {
    d.put("mediaType", img.manifestType());
    d.put("digest", img.manifestDigest());
    d.put("size", img.manifest.length);
    ObjectNode p = d.putObject("platform");
    p.put("architecture", img.architecture);
    p.put("os", img.os);
    if (!img.variant.isEmpty()) {
      p.put("variant", img.variant);
    }
    return d;
  }

  public static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
