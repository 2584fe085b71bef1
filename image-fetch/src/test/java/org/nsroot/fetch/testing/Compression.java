package org.nsroot.fetch.testing;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/** The layer compressions tests push, with their OCI and Docker media types. */
public enum Compression {
  NONE("application/vnd.oci.image.layer.v1.tar", "application/vnd.docker.image.rootfs.diff.tar"),
  GZIP("application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.docker.image.rootfs.diff.tar.gzip"),
  ZSTD("application/vnd.oci.image.layer.v1.tar+zstd", "application/vnd.docker.image.rootfs.diff.tar.zstd");

  public final String ociType;
  public final String dockerType;

  Compression(String ociType, String dockerType) {
    this.ociType = ociType;
    this.dockerType = dockerType;
  }

  public byte[] compress(byte[] tar) throws IOException {
    if (this == NONE) {
      return tar;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c = this == GZIP ? new GZIPOutputStream(out) : new ZstdOutputStream(out)) {
      c.write(tar);
    }
    return out.toByteArray();
  }
}
