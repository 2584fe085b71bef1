package org.nsroot.fetch.manifest;

import java.util.List;
import java.util.Map;
import org.nsroot.fetch.digest.Digest;

/** An OCI content descriptor: what a manifest or index says about a blob it names. */
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    Platform platform,
    Map<String, String> annotations,
    List<String> urls) {

  public Descriptor {
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    urls = urls == null ? List.of() : List.copyOf(urls);
  }

  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, null, Map.of(), List.of());
  }

  /** BuildKit's provenance and SBOM entries sit in indexes next to the real images. */
  public boolean isAttestation() {
    return "attestation-manifest".equals(annotations.get("vnd.docker.reference.type"))
        || (platform != null && platform.os().equals("unknown"));
  }
}
