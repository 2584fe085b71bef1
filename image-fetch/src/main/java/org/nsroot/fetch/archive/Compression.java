package org.nsroot.fetch.archive;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Layer and archive compression, told by magic bytes rather than by names or media types. */
enum Compression {
  NONE("application/vnd.oci.image.layer.v1.tar"),
  GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
  ZSTD("application/vnd.oci.image.layer.v1.tar+zstd");

  final String layerMediaType;

  Compression(String layerMediaType) {
    this.layerMediaType = layerMediaType;
  }

  /** Peeks at the first bytes of {@code in}, which must support mark. */
  static Compression sniff(BufferedInputStream in) throws IOException {
    in.mark(4);
    byte[] m = in.readNBytes(4);
    in.reset();
    if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (m.length == 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f
        && (m[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  /** The uncompressed bytes; gzip with every member (pigz writes several). */
  InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case NONE -> in;
      case GZIP -> new GzipCompressorInputStream(in, true);
      case ZSTD -> new ZstdInputStream(in);
    };
  }

  /** Opens a possibly compressed stream as its uncompressed bytes. */
  static InputStream open(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    return sniff(in).decompress(in);
  }
}
