package org.nsroot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.cli.testing.BusyboxImage;
import org.nsroot.cli.testing.Cli;
import org.nsroot.cli.testing.Expect;
import org.nsroot.cli.testing.TreeSnapshot;

/**
 * {@code nsroot chroot}: the helper's classic chroot-like interface on a plain directory — here a
 * busybox tree as {@code docker export} writes it, extracted by the user — through the launcher,
 * as root and as an unprivileged user.
 */
class ChrootCliIT {
  static byte[] exported;

  @TempDir Path tmp;

  @BeforeAll
  static void makeTheExport() throws Exception {
    exported = BusyboxImage.create().file("etc/motd", "exported tree\n", 0644).tar();
  }

  /** Extracts the export tarball as {@code cli}'s user would, into a directory of their own. */
  static Path exportedTree(Cli cli, String name) throws Exception {
    Path tar = cli.ownedFile(Path.of(cli.home(), name + ".tar"), "");
    Files.write(tar, exported);
    Path dir = cli.ownedDir(name);
    Cli.Result x = cli.shell("tar -xf " + tar + " -C " + dir + " --no-same-owner");
    assertEquals(0, x.exit(), x.toString());
    assertTrue(Files.isRegularFile(dir.resolve("bin/busybox")));
    return dir;
  }

  @Test
  void theClassicInterfaceRunsACommandInADirectory() throws Exception {
    for (Cli cli : Cli.everyUser(tmp)) {
      Path tree = exportedTree(cli, "tree");
      Map<String, String> before = TreeSnapshot.of(tree);
      Cli.Result r = cli.run("chroot", "-r", tree.toString(), "/bin/busybox", "sh", "-c",
          "cat /etc/motd; id -u; touch /bin/x 2>/dev/null && echo wrote || echo read-only; ls /proc/self/ns/user >/dev/null && echo ns");
      assertEquals(0, r.exit(), cli.who() + ": " + r);
      assertEquals("exported tree\n0\nread-only\nns\n", r.out(), r.toString());
      assertEquals(before, TreeSnapshot.of(tree), "-r: the directory is not written");

      Cli.Result status = cli.run("chroot", "-r", tree.toString(), "/bin/busybox", "sh", "-c", "exit 42");
      assertEquals(42, status.exit(), status.toString());
      assertEquals("", status.err());

      Cli.Result killed = cli.run("chroot", "-r", tree.toString(), "/bin/sh", "-c", "kill -9 $$");
      assertEquals(137, killed.exit(), killed.toString());

      Cli.Result missing = cli.run("chroot", "-r", tree.toString(), "/bin/no-such-tool");
      Expect.failure(missing, 127, "/bin/no-such-tool");

      Cli.Result notExecutable = cli.run("chroot", "-r", tree.toString(), "/etc/motd");
      Expect.failure(notExecutable, 126, "/etc/motd");

      Cli.Result noDir = cli.run("chroot", "-r", cli.home() + "/no-such-tree", "/bin/sh");
      Expect.failure(noDir, 125, "no-such-tree");

      // Without -r the directory is the root, writable, as with the original tool.
      Cli.Result writable = cli.run("chroot", tree.toString(), "/bin/busybox", "sh", "-c", "echo made > /made-inside");
      assertEquals(0, writable.exit(), writable.toString());
      assertEquals("made\n", Files.readString(tree.resolve("made-inside")));
    }
  }

  @Test
  void volumesBindReadWriteOrReadOnlyWithoutChangingTheTree() throws Exception {
    for (Cli cli : Cli.everyUser(tmp)) {
      Path tree = exportedTree(cli, "vtree");
      Path rw = cli.ownedDir("rw");
      Path ro = cli.ownedDir("ro");
      Files.writeString(ro.resolve("in.txt"), "from the host\n");
      Map<String, String> before = TreeSnapshot.of(tree);
      Cli.Result r = cli.run("chroot", "-r", "-v", rw + ":/data", "-v", ro + ":/in:ro", tree.toString(), "/bin/busybox", "sh", "-c",
          "cat /in/in.txt && echo result > /data/out; echo x 2>/dev/null > /in/x && echo ro-written || echo ro-refused");
      assertEquals(0, r.exit(), cli.who() + ": " + r);
      assertEquals("from the host\nro-refused\n", r.out(), r.toString());
      assertEquals("result\n", Files.readString(rw.resolve("out")));
      assertFalse(Files.exists(ro.resolve("x")));
      assertFalse(Files.exists(tree.resolve("data")), "the missing mount point was made outside the tree");
      assertEquals(before, TreeSnapshot.of(tree));
    }
  }

  @Test
  void theCommandGetsOnlyTheEnvironmentItIsGiven() throws Exception {
    for (Cli cli : Cli.everyUser(tmp)) {
      Path tree = exportedTree(cli, "etree");
      Cli.Result r = cli.shell("REGISTRY_PASSWORD=hunter2 SSH_AUTH_SOCK=/tmp/agent COPY_ME=copied exec \"$NSROOT\" chroot -r "
          + "-e PATH=/bin -e GIVEN=direct -e COPY_ME " + tree + " /bin/busybox env");
      assertEquals(0, r.exit(), cli.who() + ": " + r);
      Map<String, String> env = new TreeMap<>();
      r.out().lines().forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
      assertEquals(Set.of("PATH", "GIVEN", "COPY_ME"), env.keySet(), r.out());
      assertEquals("copied", env.get("COPY_ME"));
      assertEquals("direct", env.get("GIVEN"));
    }
  }

  @Test
  void helpHelperPrintsTheHelpersUsage() throws Exception {
    Cli cli = Cli.everyUser(tmp).get(Cli.everyUser(tmp).size() - 1);
    Cli.Result r = cli.run("chroot", "--help-helper");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("NEWROOT"), r.out());
    for (String option : new String[] {"-v, --bind SRC:DST[:ro|rw]", "-r, --read-only", "--writable", "--timeout", "--hostname"}) {
      assertTrue(r.out().contains(option), "usage names " + option + ": " + r.out());
    }
    Cli.Result help = cli.run("help", "chroot");
    assertEquals(0, help.exit(), help.toString());
    assertTrue(help.out().startsWith("Usage: nsroot chroot"), help.out());
    assertTrue(help.out().contains("--help-helper"), help.out());
  }
}
