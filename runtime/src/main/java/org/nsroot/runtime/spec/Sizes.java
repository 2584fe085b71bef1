package org.nsroot.runtime.spec;

import java.util.Locale;

/** Sizes written like {@code 512m} or {@code 2g}: powers of 1024, as tmpfs and docker read them. */
public final class Sizes {
  private Sizes() {}

  /**
   * Parses a size in bytes with an optional k, m, g or t suffix (an optional trailing b too).
   *
   * @param text such as {@code 64m}
   * @return the number of bytes
   * @throws NumberFormatException if it is not a non-negative size that fits in a long
   */
  public static long parseBytes(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    int shift = 0;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'k': shift = 10; break;
        case 'm': shift = 20; break;
        case 'g': shift = 30; break;
        case 't': shift = 40; break;
        default: break;
      }
    }
    if (shift > 0) {
      t = t.substring(0, t.length() - 1);
    }
    long v = Long.parseLong(t);
    if (v < 0 || (shift > 0 && v > (Long.MAX_VALUE >> shift))) {
      throw new NumberFormatException("size out of range: " + text);
    }
    return v << shift;
  }
}
