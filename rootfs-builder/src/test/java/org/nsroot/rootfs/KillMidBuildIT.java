package org.nsroot.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.rootfs.testing.ChildJvm;

/** H3: a build killed with SIGKILL in layer 3 of 5 leaves no rootfs; its leftovers are found and removed. */
class KillMidBuildIT {
  @TempDir Path tmp;

  @Test
  void kill9MidLayerLeavesNoRootfs() throws Exception {
    Path work = tmp.resolve("work");
    Path dest = tmp.resolve("dest");
    Process p = new ProcessBuilder(ChildJvm.command(tmp.resolve("jvm"), "org.nsroot.rootfs.testing.SlowBuildMain",
        work.toString(), dest.toString())).redirectErrorStream(true).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      String line;
      while ((line = r.readLine()) != null && !line.contains("STALLED IN LAYER 3")) {
        System.out.println(line);
      }
      assertTrue(line != null, "the child reached layer 3");
      long pid = p.pid();
      new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
      p.waitFor();
    }
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
    assertFalse(Files.exists(dest, LinkOption.NOFOLLOW_LINKS), "no rootfs after a kill");
    try (Stream<Path> s = Files.list(work)) {
      List<Path> left = s.toList();
      assertEquals(1, left.size(), "the killed build's directory: " + left);
      assertTrue(Files.exists(left.get(0).resolve("l2/f99")), "it was mid-build (layers 1-2 applied)");
    }
    assertEquals(1, RootfsRemover.removeStaleBuilds(work));
    try (Stream<Path> s = Files.list(work)) {
      assertEquals(List.of(), s.toList());
    }
  }
}
