package org.nsroot.fetch.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nsroot.fetch.compression.Compression;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;

/** A layer file of an archive, as the manifest and config will describe it. */
record ArchivedLayer(Descriptor descriptor, Digest diffId) {
  /** Sniffs the compression and, unless the layer is a plain tar, hashes its uncompressed bytes. */
  static ArchivedLayer of(Path file, Digest digest, long size) throws IOException {
    Compression c;
    try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      c = Compression.sniff(in);
    }
    Digest diffId = c == Compression.NONE ? digest : Hashing.uncompressed(file);
    return new ArchivedLayer(new Descriptor(c.ociMediaType(), digest, size), diffId);
  }
}
