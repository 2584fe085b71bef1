package org.nsroot.rootfs;

/** The uncompressed layer does not hash to its expected DiffID: truncated, corrupt or substituted. */
public final class DigestMismatchException extends RootfsException {
  private final String expected;
  private final String actual;

  public DigestMismatchException(String layer, String expected, String actual) {
    super(layer + ": diff_id mismatch: expected " + expected + ", got " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  public String expected() {
    return expected;
  }

  public String actual() {
    return actual;
  }
}
