package org.nsroot.fetch.compression;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * A layer's compression, told by the stream's magic bytes, never by the media type or file name:
 * registries serve zstd layers labelled gzip and plain tars labelled gzip (catalogue B4, peers §2
 * row 9). Shared by the rootfs builder (flattening) and by imports (computing diff_ids).
 */
public enum Compression {
  NONE("application/vnd.oci.image.layer.v1.tar"),
  GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
  ZSTD("application/vnd.oci.image.layer.v1.tar+zstd"),
  BZIP2(null),
  XZ(null);

  private final String ociMediaType;

  Compression(String ociMediaType) {
    this.ociMediaType = ociMediaType;
  }

  /** Peeks at the first bytes of a mark-supporting stream. */
  public static Compression sniff(BufferedInputStream in) throws IOException {
    in.mark(6);
    byte[] m = in.readNBytes(6);
    in.reset();
    int n = m.length;
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

  /** Opens a possibly compressed stream as its uncompressed bytes. */
  public static InputStream open(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    return sniff(in).decompress(in);
  }

  /**
   * The decompressed view of {@code in}; closing it closes {@code in}. Gzip and bzip2 decode every
   * concatenated member (pigz output) and do not rely on {@code available()}, which made the JDK's
   * GZIPInputStream stop silently after the first member (JDK-7036144, catalogue B3).
   */
  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      case GZIP -> new GzipCompressorInputStream(in, true);
      case ZSTD -> new ZstdCompressorInputStream(in);
      case BZIP2 -> new BZip2CompressorInputStream(in, true);
      case XZ -> throw new UnsupportedCompressionException("xz-compressed layers are not supported");
    };
  }

  /** The OCI layer media type for this compression; fails for those OCI has no type for. */
  public String ociMediaType() throws UnsupportedCompressionException {
    if (ociMediaType == null) {
      throw new UnsupportedCompressionException(name().toLowerCase(Locale.ROOT)
          + "-compressed layers have no OCI media type and cannot be stored");
    }
    return ociMediaType;
  }

  /** Raised for a recognised but unsupported format. */
  public static final class UnsupportedCompressionException extends IOException {
    public UnsupportedCompressionException(String message) {
      super(message);
    }
  }
}
