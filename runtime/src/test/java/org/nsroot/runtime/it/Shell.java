package org.nsroot.runtime.it;

import java.util.List;
import java.util.stream.Collectors;

/** Quotes words for sh -c (for tests that must go through script(1)). */
final class Shell {
  private Shell() {}

  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  static String join(List<String> words) {
    return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }
}
