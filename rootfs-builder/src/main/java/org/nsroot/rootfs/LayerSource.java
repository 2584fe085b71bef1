package org.nsroot.rootfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.nsroot.fetch.digest.Digest;

/**
 * One layer to apply: a description for messages, its expected DiffID and a way to open its
 * compressed stream. The stream may still be downloading and may throw an IOException at its end
 * when the download's own digest check fails; any IOException fails the build.
 *
 * @param description for messages, e.g. {@code "layer 2/5 sha256:ab12cd34ef56"}
 * @param diffId the digest of the uncompressed tar
 * @param opener opens the compressed (gzip, zstd, bzip2 or plain) layer; called once
 */
public record LayerSource(String description, Digest diffId, Opener opener) {

  /** Opens the compressed stream of a layer. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  public LayerSource {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(diffId, "diffId");
    Objects.requireNonNull(opener, "opener");
  }
}
