package org.nsroot.runtime.spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Something mounted into the container. Destinations are absolute paths inside the container;
 * the helper resolves them inside the rootfs (an image symlink never sends a mount to the host)
 * and creates missing ones without writing to the rootfs.
 */
public sealed interface Mount permits Mount.Bind, Mount.Tmpfs, Mount.InlineFile {

  /** The path inside the container. */
  String destination();

  /**
   * A host file or directory (a volume) bind-mounted at {@code destination}; never setuid or
   * device-capable.
   *
   * @param source the host path, absolute
   * @param destination the path inside, absolute, without ':'
   * @param readOnly whether writes are refused
   */
  record Bind(Path source, String destination, boolean readOnly) implements Mount {
    public Bind {
      if (!source.isAbsolute()) {
        throw new IllegalArgumentException("volume source must be absolute: " + source);
      }
      Paths.checkContainerPath(destination, "volume destination");
      if (source.toString().indexOf('\0') >= 0) {
        throw new IllegalArgumentException("volume source contains NUL");
      }
    }
  }

  /**
   * A fresh tmpfs.
   *
   * @param destination the path inside, absolute
   * @param sizeBytes its size limit, or 0 for the kernel's default (half of RAM)
   * @param mode its permission bits, such as 01777
   */
  record Tmpfs(String destination, long sizeBytes, int mode) implements Mount {
    public Tmpfs {
      Paths.checkContainerPath(destination, "tmpfs destination");
      if (sizeBytes < 0 || mode < 0 || mode > 07777) {
        throw new IllegalArgumentException("invalid tmpfs size or mode for " + destination);
      }
    }
  }

  /**
   * A small read-only file made for this run (a passwd file naming the mapped user), so that the
   * image never has to be modified.
   *
   * @param destination the path inside, absolute
   * @param content the file's text
   */
  record InlineFile(String destination, String content) implements Mount {
    /** Keeps the helper's argument below the kernel's 128 KiB limit for one argument. */
    public static final int MAX_BYTES = 96 * 1024;

    public InlineFile {
      Paths.checkContainerPath(destination, "file destination");
      if (content.indexOf('\0') >= 0
          || content.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
        throw new IllegalArgumentException("file content for " + destination + " is too large or holds NUL");
      }
    }
  }
}
