package org.nsroot.runtime.spec;

/** Checks on paths inside the container, shared by the spec's records. */
final class Paths {
  private Paths() {}

  /**
   * A path inside the container must be absolute, and free of NUL (the helper is C) and of ':'
   * (the helper's {@code SRC:DST} and {@code DST:OPTIONS} arguments split there).
   */
  static void checkContainerPath(String path, String what) {
    if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf(':') >= 0) {
      throw new IllegalArgumentException(what + " must be an absolute path without ':': " + path);
    }
  }
}
