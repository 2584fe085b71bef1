package org.nsroot.fetch.store;

import java.time.Instant;
import java.util.Optional;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.Platform;

/**
 * One image of the store, as {@code index.json} records it.
 *
 * @param reference the canonical reference it was pulled or imported as
 * @param manifest the descriptor of its (platform-specific) manifest
 * @param indexDigest the index the manifest was chosen from, if it came from one
 * @param pulled when it was stored
 */
public record StoredImage(
    String reference, Descriptor manifest, Platform platform, Digest indexDigest, Instant pulled, long contentSize) {

  public Optional<Digest> indexDigestIfAny() {
    return Optional.ofNullable(indexDigest);
  }
}
