package org.nsroot.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvFileTest {
  @Test
  void readsLikeDocker() throws Exception {
    Map<String, String> env = EnvFile.parse(List.of("# comment", "", "A=1", "B= spaced \"quoted\" ", "FROM_HOST",
        "UNSET_ON_HOST", "C=x=y\r"), Map.of("FROM_HOST", "h"), "f");
    assertEquals(Map.of("A", "1", "B", " spaced \"quoted\" ", "FROM_HOST", "h", "C", "x=y"), env);
    assertEquals(List.of("A", "B", "FROM_HOST", "C"), List.copyOf(env.keySet()));
  }

  @Test
  void badLinesAreNamed() {
    assertEquals("f line 2: invalid variable name",
        assertThrows(ImageConfigException.class, () -> EnvFile.parse(List.of("A=1", "=x"), Map.of(), "f")).getMessage());
    assertThrows(ImageConfigException.class, () -> EnvFile.parse(List.of("A B=1"), Map.of(), "f"));
  }
}
