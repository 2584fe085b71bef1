package org.nsroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nsroot.rootfs.testing.ChildJvm;

/**
 * The whole hostile table again as the unprivileged user {@code nsroot-test}: root ignores
 * permission bits and would hide bugs of the unprivileged path (writing into a 0555 directory,
 * removing a 000 tree, reading a 0000 file). Also under {@code LANG=C} with no UTF-8 locale, where
 * Java's own file APIs cannot name non-UTF-8 files.
 */
class HostileLayersUnprivilegedIT {
  @Test
  void hostileTableAsUnprivilegedUserUnderLangC() throws Exception {
    assertEquals("root", System.getProperty("user.name"), "these integration tests run as root and drop to nsroot-test");
    Path dir = Files.createTempDirectory("nsroot-unpriv");
    try {
      List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=nsroot-test", "--regid=nsroot-test",
          "--init-groups", "--"));
      Path cases = Files.createDirectories(dir.resolve("cases"));
      cmd.addAll(ChildJvm.command(dir, "org.nsroot.rootfs.testing.HostileCases", cases.toString()));
      new ProcessBuilder("chown", "-R", "nsroot-test:nsroot-test", cases.toString()).inheritIO().start().waitFor();
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
      pb.environment().put("LANG", "C");
      pb.environment().put("HOME", "/nonexistent");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      System.out.println(out);
      assertTrue(out.contains("as uid ") && !out.contains("as uid 0"), "ran unprivileged: " + out);
      assertTrue(out.contains(" 0 failed"), out);
      assertEquals(0, rc, out);
    } finally {
      RootfsRemover.remove(dir);
    }
  }
}
