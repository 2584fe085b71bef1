package org.nsroot.rootfs.layer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Chooses the decompressor by the stream's magic bytes, never by the media type: registries serve
 * zstd layers labelled gzip and plain tars labelled gzip (catalogue B4, peers §2 row 9).
 */
public enum Compression {
  NONE,
  GZIP,
  ZSTD,
  BZIP2,
  XZ;

  /** Peeks at the first bytes of a mark-supporting stream. */
  public static Compression sniff(BufferedInputStream in) throws IOException {
    byte[] m = new byte[6];
    in.mark(m.length);
    int n = 0;
    while (n < m.length) {
      int r = in.read(m, n, m.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    in.reset();
    if (n >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (n >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
        && (m[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    if (n >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
      return BZIP2;
    }
    if (n >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z'
        && m[5] == 0) {
      return XZ;
    }
    return NONE;
  }

  /**
   * The decompressed view of {@code in}. Gzip and bzip2 decode every concatenated member (pigz
   * output) and do not rely on {@code available()}, which made the JDK's GZIPInputStream stop
   * silently after the first member (JDK-7036144, catalogue B3).
   */
  public InputStream decompress(BufferedInputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      case GZIP -> new GzipCompressorInputStream(in, true);
      case ZSTD -> new ZstdCompressorInputStream(in);
      case BZIP2 -> new BZip2CompressorInputStream(in, true);
      case XZ -> throw new UnsupportedCompressionException("xz-compressed layers are not supported");
    };
  }

  /** Raised for a recognised but unsupported format. */
  public static final class UnsupportedCompressionException extends IOException {
    public UnsupportedCompressionException(String message) {
      super(message);
    }
  }
}
