package org.nsroot.fetch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nsroot.fetch.digest.Digest;

class ManifestParserTest {
  private static final String D1 = "sha256:" + "1".repeat(64);
  private static final String D2 = "sha256:" + "2".repeat(64);

  private static ManifestDocument parse(String json, String contentType) throws ManifestException {
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    return ManifestParser.parse(raw, Digest.sha256Of(raw), contentType, "test/image:1");
  }

  private static String manifest(String mediaTypeField, String layerType) {
    return "{\"schemaVersion\":2," + mediaTypeField
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + D1 + "\",\"size\":10},"
        + "\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\"" + D2 + "\",\"size\":20}]}";
  }

  @Test
  void readsAnOciManifestWithoutMediaType() throws Exception {
    ManifestDocument doc = parse(manifest("", "application/vnd.oci.image.layer.v1.tar+zstd"), null);
    ImageManifest m = assertInstanceOf(ImageManifest.class, doc);
    assertEquals(1, m.layers().size());
    assertEquals(30, m.contentSize());
    assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
  }

  @Test
  void readsDockerZstdLayers() throws Exception {
    // BuildKit's non-standard type (peers.md §2 row 9)
    assertInstanceOf(ImageManifest.class, parse(manifest(
        "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",",
        "application/vnd.docker.image.rootfs.diff.tar.zstd"), null));
  }

  @Test
  void refusesSchema1WithAClearMessage() {
    ManifestException e = assertThrows(ManifestException.class,
        () -> parse("{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}", null));
    assertTrue(e.getMessage().contains("schema 1"), e.getMessage());
  }

  @Test
  void refusesMissingOrUnknownSchemaVersion() {
    assertTrue(assertThrows(ManifestException.class, () -> parse("{\"layers\":[]}", null))
        .getMessage().contains("schemaVersion"));
    assertTrue(assertThrows(ManifestException.class, () -> parse("{\"schemaVersion\":3}", null))
        .getMessage().contains("schemaVersion 3"));
  }

  @Test
  void refusesAmbiguousDocuments() {
    String both = "{\"schemaVersion\":2,\"manifests\":[],\"layers\":[]}";
    assertTrue(assertThrows(ManifestException.class, () -> parse(both, null)).getMessage().contains("ambiguous"));
  }

  @Test
  void refusesDuplicateKeys() {
    String dup = "{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}";
    assertTrue(assertThrows(ManifestException.class, () -> parse(dup, null)).getMessage().contains("not valid JSON"));
  }

  @Test
  void refusesAMediaTypeThatContradictsContentType() {
    String m = manifest("\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",", "application/vnd.oci.image.layer.v1.tar");
    ManifestException e = assertThrows(ManifestException.class, () -> parse(m, MediaTypes.DOCKER_MANIFEST));
    assertTrue(e.getMessage().contains("sent it as"), e.getMessage());
  }

  @Test
  void refusesDigestsThatCouldBecomePaths() {
    String bad = manifest("", "application/vnd.oci.image.layer.v1.tar").replace(D2, "sha256:../../../../home/u/.bashrc");
    assertTrue(assertThrows(ManifestException.class, () -> parse(bad, null)).getMessage().contains("invalid digest"));
  }

  @Test
  void refusesForeignLayersAndUnknownLayerTypes() {
    String foreign = manifest("", "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip")
        .replace("\"size\":20}", "\"size\":20,\"urls\":[\"http://169.254.169.254/x\"]}");
    assertTrue(assertThrows(ManifestException.class, () -> parse(foreign, null)).getMessage().contains("foreign layer"));
    String intoto = manifest("", "application/vnd.in-toto+json");
    assertTrue(assertThrows(ManifestException.class, () -> parse(intoto, null)).getMessage().contains("unsupported type"));
  }

  @Test
  void refusesArtifactsThatAreNotImages() {
    String artifact = manifest("", "application/vnd.oci.image.layer.v1.tar").replace(
        "application/vnd.oci.image.config.v1+json", "application/vnd.cncf.helm.config.v1+json");
    assertTrue(assertThrows(ManifestException.class, () -> parse(artifact, null)).getMessage().contains("not a container image"));
  }

  @Test
  void refusesOversizedManifestsBeforeParsing() {
    byte[] big = new byte[ManifestParser.MAX_MANIFEST_BYTES + 1];
    ManifestException e = assertThrows(ManifestException.class,
        () -> ManifestParser.parse(big, Digest.sha256Of(big), null, "x"));
    assertTrue(e.getMessage().contains("more than"), e.getMessage());
  }

  @Test
  void selectsPlatformsSkippingAttestations() throws Exception {
    String idx = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
        + entry(D1, "amd64", null, false) + "," + entry(D2, "unknown", null, true) + ","
        + entry("sha256:" + "3".repeat(64), "arm64", "v8", false) + ","
        + entry("sha256:" + "4".repeat(64), "arm", "v6", false) + ","
        + entry("sha256:" + "5".repeat(64), "arm", "v7", false) + "]}";
    ImageIndex index = assertInstanceOf(ImageIndex.class, parse(idx, MediaTypes.OCI_INDEX));
    assertEquals(D1, PlatformSelector.select(index, Platform.parse("linux/amd64"), "x").digest().toString());
    assertEquals("sha256:" + "3".repeat(64),
        PlatformSelector.select(index, Platform.parse("linux/arm64"), "x").digest().toString());
    assertEquals("sha256:" + "3".repeat(64),
        PlatformSelector.select(index, Platform.parse("linux/arm64/v8"), "x").digest().toString());
    assertEquals("sha256:" + "5".repeat(64),
        PlatformSelector.select(index, Platform.parse("linux/arm/v7"), "x").digest().toString());
    NoMatchingPlatformException e = assertThrows(NoMatchingPlatformException.class,
        () -> PlatformSelector.select(index, Platform.parse("linux/s390x"), "x"));
    assertTrue(e.getMessage().contains("linux/amd64, linux/arm64, linux/arm/v6, linux/arm/v7"), e.getMessage());
    assertTrue(!e.getMessage().contains("unknown"), e.getMessage());
  }

  @Test
  void parsesPlatformsAsDockerWritesThem() {
    assertEquals("linux/arm64", Platform.parse("linux/arm64/v8").toString());
    assertEquals("linux/amd64", Platform.parse("linux/x86_64").toString());
    assertThrows(IllegalArgumentException.class, () -> Platform.parse("linux"));
    assertThrows(IllegalArgumentException.class, () -> Platform.parse("linux/arm/v7/x"));
  }

  private static String entry(String digest, String arch, String variant, boolean attestation) {
    return "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":5,"
        + "\"platform\":{\"os\":\"" + (attestation ? "unknown" : "linux") + "\",\"architecture\":\"" + arch + "\""
        + (variant == null ? "" : ",\"variant\":\"" + variant + "\"") + "}"
        + (attestation ? ",\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}" : "") + "}";
  }
}
