package org.nsroot.rootfs.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryNameTest {
  private static List<String> comps(String n) throws Exception {
    return EntryName.parse(n.getBytes(StandardCharsets.ISO_8859_1), 100).components().stream()
        .map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
  }

  @Test
  void normalisesWithoutCleaningDotDot() throws Exception {
    assertEquals(List.of("etc", "x"), comps("////etc/x"));
    assertEquals(List.of("a", "b"), comps("./a//./b/"));
    assertEquals(List.of("..gitme", "..."), comps("..gitme/..."));
    assertTrue(EntryName.parse("./".getBytes(StandardCharsets.US_ASCII), 5).isRoot());
    assertTrue(EntryName.parse("/".getBytes(StandardCharsets.US_ASCII), 5).wasAbsolute());
    for (String bad : List.of("..", "a/../b", "../x", "/../x", "a/..")) {
      assertThrows(EntryName.BadNameException.class, () -> comps(bad), bad);
    }
    assertThrows(EntryName.BadNameException.class, () -> comps("a\u0000b"));
    assertThrows(EntryName.BadNameException.class, () -> EntryName.parse("a/b/c".getBytes(StandardCharsets.US_ASCII), 2));
  }
}
