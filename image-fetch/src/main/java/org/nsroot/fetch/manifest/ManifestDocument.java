package org.nsroot.fetch.manifest;

import org.nsroot.fetch.digest.Digest;

/** A parsed manifest-like document with the exact bytes and digest it came from. */
public sealed interface ManifestDocument permits ImageIndex, ImageManifest {
  String mediaType();

  byte[] raw();

  Digest digest();

  default Descriptor descriptor() {
    return new Descriptor(mediaType(), digest(), raw().length);
  }
}
