package org.nsroot.rootfs.testing;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.rootfs.LayerSource;

/** Turns tar bytes into {@link LayerSource}s: compression, DiffID. */
public final class Layers {
  private Layers() {}

  public enum Codec { NONE, GZIP, ZSTD }

  public static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] compress(byte[] tar, Codec codec) {
    try {
      ByteArrayOutputStream bo = new ByteArrayOutputStream();
      OutputStream o = switch (codec) {
        case NONE -> bo;
        case GZIP -> new GZIPOutputStream(bo);
        case ZSTD -> new ZstdOutputStream(bo);
      };
      o.write(tar);
      o.close();
      return bo.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A gzip layer whose DiffID is the tar's. */
  public static LayerSource of(String description, byte[] tar) {
    return of(description, tar, Codec.GZIP);
  }

  public static LayerSource of(String description, byte[] tar, Codec codec) {
    byte[] blob = compress(tar, codec);
    return new LayerSource(description, diffId(tar), () -> new ByteArrayInputStream(blob));
  }

  /** The DiffID of an uncompressed tar. */
  public static Digest diffId(byte[] tar) {
    return Digest.sha256Of(tar);
  }

  /** A layer with explicit blob bytes and DiffID (for corrupt-stream tests). */
  public static LayerSource raw(String description, byte[] blob, Digest diffId) {
    return new LayerSource(description, diffId, () -> new ByteArrayInputStream(blob));
  }
}
