package org.nsroot.runtime.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/** Parses the CLI's volume syntax. */
public final class Volumes {
  private Volumes() {}

  /**
   * Parses {@code SRC:DST[:ro|rw]} as docker does. SRC is a host path (relative to {@code cwd})
   * that must exist: unlike docker, a missing source is not created, since a typo would otherwise
   * become an empty directory. DST must be absolute.
   *
   * @param spec the option's value
   * @param cwd the directory relative sources start from
   * @return the bind mount
   * @throws InvalidRunSpecException naming what is wrong
   */
  public static Mount.Bind parse(String spec, Path cwd) throws InvalidRunSpecException {
    boolean readOnly = false;
    String s = spec;
    if (s.endsWith(":ro") || s.endsWith(":rw")) {
      readOnly = s.endsWith(":ro");
      s = s.substring(0, s.length() - 3);
    }
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new InvalidRunSpecException("invalid volume " + spec + " (want SRC:DST[:ro|rw])");
    }
    Path src = cwd.resolve(s.substring(0, colon)).toAbsolutePath().normalize();
    String dst = s.substring(colon + 1);
    if (!Files.exists(src)) {
      throw new InvalidRunSpecException("volume source does not exist: " + src);
    }
    try {
      return new Mount.Bind(src, dst, readOnly);
    } catch (IllegalArgumentException e) {
      throw new InvalidRunSpecException("invalid volume " + spec + ": " + e.getMessage());
    }
  }
}
