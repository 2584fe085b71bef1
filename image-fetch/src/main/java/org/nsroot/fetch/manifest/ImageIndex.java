package org.nsroot.fetch.manifest;

import java.util.List;
import org.nsroot.fetch.digest.Digest;

/** An OCI image index or Docker manifest list: one manifest per platform. */
public record ImageIndex(String mediaType, byte[] raw, Digest digest, List<Descriptor> manifests)
    implements ManifestDocument {
  public ImageIndex {
    manifests = List.copyOf(manifests);
  }
}
