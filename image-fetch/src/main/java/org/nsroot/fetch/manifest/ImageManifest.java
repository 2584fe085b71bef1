package org.nsroot.fetch.manifest;

import java.util.List;
import org.nsroot.fetch.digest.Digest;

/** An image manifest (OCI or Docker schema 2): a config and layers, bottom first. */
public record ImageManifest(
    String mediaType, byte[] raw, Digest digest, Descriptor config, List<Descriptor> layers)
    implements ManifestDocument {
  public ImageManifest {
    layers = List.copyOf(layers);
  }

  /** The bytes an image occupies in a store: config and compressed layers. */
  public long contentSize() {
    long total = config.size();
    for (Descriptor layer : layers) {
      total += layer.size();
    }
    return total;
  }
}
