package org.nsroot.fetch.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.nsroot.fetch.digest.Digest;

/** Copies and hashes in one pass. */
final class Hashing {
  private Hashing() {}

  /** The digest and size of what was copied from {@code in} to {@code out}. */
  record Copied(Digest digest, long size) {}

  static Copied copy(InputStream in, OutputStream out) throws IOException {
    MessageDigest h = Digest.newHasher("sha256");
    byte[] buf = new byte[1 << 16];
    long size = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      h.update(buf, 0, n);
      if (out != null) {
        out.write(buf, 0, n);
      }
      size += n;
    }
    return new Copied(Digest.fromHasher("sha256", h.digest()), size);
  }

  static Copied toFile(InputStream in, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      return copy(in, out);
    }
  }
}
