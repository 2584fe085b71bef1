package org.nsroot.fetch.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes test images as OCI layouts and tarballs, the way other tools would hand them to nsroot. */
public final class Layouts {
  private Layouts() {}

  /** An OCI layout directory holding {@code image} under {@code refName}. */
  public static Path ociDirectory(Path dir, TestImage image, String refName) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    for (Map.Entry<String, byte[]> b : image.blobs.entrySet()) {
      Files.write(dir.resolve("blobs/sha256").resolve(b.getKey().substring(7)), b.getValue());
    }
    Files.write(dir.resolve("blobs/sha256").resolve(image.manifestDigest().substring(7)), image.manifest);
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
        + image.manifestType() + "\",\"digest\":\"" + image.manifestDigest() + "\",\"size\":" + image.manifest.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + refName + "\"}}]}");
    return dir;
  }

  /** A tar of the given entries (name → bytes), in order. */
  public static void tar(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry te = new TarArchiveEntry(e.getKey());
        te.setSize(e.getValue().length);
        tar.putArchiveEntry(te);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
  }
}
