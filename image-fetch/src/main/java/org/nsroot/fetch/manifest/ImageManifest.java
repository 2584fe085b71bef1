package org.nsroot.fetch.manifest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nsroot.fetch.digest.Digest;

/** An image manifest (OCI or Docker schema 2): a config and layers, bottom first. */
public record ImageManifest(
    String mediaType, byte[] raw, Digest digest, Descriptor config, List<Descriptor> layers)
    implements ManifestDocument {
  public ImageManifest {
    layers = List.copyOf(layers);
  }

  /** The blobs this manifest names in a store: itself, its config and its layers. */
  public Set<Digest> blobs() {
    Set<Digest> all = new HashSet<>();
    all.add(digest);
    all.add(config.digest());
    for (Descriptor layer : layers) {
      all.add(layer.digest());
    }
    return all;
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
