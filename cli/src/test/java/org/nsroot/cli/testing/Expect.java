package org.nsroot.cli.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Assertions on how nsroot fails. */
public final class Expect {
  private Expect() {}

  /**
   * A failure: {@code exit}, nothing on stdout, and one line on stderr that starts with "nsroot"
   * (the CLI's "nsroot: " or the helper's "nsroot-exec: ") and names every one of {@code mentions}.
   */
  public static void failure(Cli.Result r, int exit, String... mentions) {
    assertEquals(exit, r.exit(), r.toString());
    assertEquals("", r.out(), r.toString());
    List<String> lines = r.errLines();
    assertEquals(1, lines.size(), "one line: " + r);
    assertTrue(lines.get(0).startsWith("nsroot"), r.toString());
    for (String m : mentions) {
      assertTrue(lines.get(0).contains(m), "the message names " + m + ": " + r);
    }
  }
}
