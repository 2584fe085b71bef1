package org.nsroot.fetch.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nsroot.fetch.compression.Compression;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;

/** A layer file of an archive, as the manifest and config will describe it. */
record ArchivedLayer(Descriptor descriptor, Digest diffId) {
  /**
   * Sniffs the compression and, unless the layer is a plain tar, hashes its uncompressed bytes,
   * in one read of the file; a compression OCI has no media type for is refused before that.
   */
  static ArchivedLayer of(Path file, Digest digest, long size) throws IOException {
    try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      Compression c = Compression.sniff(in);
      Descriptor descriptor = new Descriptor(c.ociMediaType(), digest, size);
      if (c == Compression.NONE) {
        return new ArchivedLayer(descriptor, digest);
      }
      try (InputStream tar = c.decompress(in)) {
        return new ArchivedLayer(descriptor, Hashing.copy(tar, null).digest());
      }
    }
  }
}
