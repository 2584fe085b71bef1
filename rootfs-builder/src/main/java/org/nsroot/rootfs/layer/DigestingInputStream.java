package org.nsroot.rootfs.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.nsroot.fetch.digest.Digest;

/**
 * Hashes and counts the uncompressed tar stream as it is read (the layer's DiffID), and stops it
 * when the image-wide byte budget runs out: a decompression bomb is cut off while it streams, not
 * after it filled the disk (catalogue B1).
 */
public final class DigestingInputStream extends FilterInputStream {
  /** Thrown from read() when the budget is exhausted. */
  public static final class BudgetExceededException extends IOException {
    public BudgetExceededException(String message) {
      super(message);
    }
  }

  private final String algorithm;
  private final MessageDigest hasher;
  private final long budget;
  private long count;

  /**
   * @param like a digest whose algorithm this stream uses
   * @param budget bytes this stream may still deliver before it fails
   */
  public DigestingInputStream(InputStream in, Digest like, long budget) {
    super(in);
    this.budget = budget;
    this.algorithm = like.algorithm();
    this.hasher = like.newHasher();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count += n;
      if (count > budget) {
        throw new BudgetExceededException("uncompressed size exceeds the limit");
      }
      hasher.update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Bytes delivered so far. */
  public long count() {
    return count;
  }

  /** The digest of everything read so far. Call once, at the end. */
  public Digest digest() {
    return Digest.fromHasher(algorithm, hasher.digest());
  }
}
