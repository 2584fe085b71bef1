package org.nsroot.fetch.archive;

import org.nsroot.fetch.compression.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads the names in a (possibly compressed) tar, to tell what kind of archive it is. */
final class ArchiveEntries {
  enum Kind { OCI_ARCHIVE, DOCKER_SAVE, ROOTFS }

  private ArchiveEntries() {}

  static Kind kind(Path file) throws IOException {
    Set<String> names = new HashSet<>();
    try (TarArchiveInputStream tar = open(file)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        names.add(normalise(e.getName()));
        if (names.contains("oci-layout") && names.contains("index.json")) {
          return Kind.OCI_ARCHIVE;
        }
      }
    }
    if (names.contains("manifest.json")) {
      return Kind.DOCKER_SAVE;
    }
    return Kind.ROOTFS;
  }

  static TarArchiveInputStream open(Path file) throws IOException {
    InputStream in = Compression.open(Files.newInputStream(file));
    return new TarArchiveInputStream(in);
  }

  /** Entry names as archives write them: {@code ./x}, {@code x}, {@code /x} are the same. */
  static String normalise(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.startsWith("./") ? n.substring(2) : n.substring(1);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n;
  }
}
