package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.ExitStatus;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/**
 * The helper's own chroot-like command line (what {@code nsroot chroot DIR} offers on any tree, such
 * as a {@code docker export}): without -r the tree is used read-write like chroot(1) would.
 */
class ClassicInterfaceIT {
  static List<Mode> modes() {
    return Mode.all();
  }

  private static RunResult helper(Mode mode, String... args) {
    List<String> cmd = new ArrayList<>(mode.prefix());
    cmd.add(TestEnv.get().helper(mode).path().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("SECRET", "from-the-caller");
    return Containers.run(pb);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void aTreeIsUsedReadWriteWithoutMinusR(Mode mode) throws Exception {
    Path tree = TestEnv.get().newRootfs(mode);
    RunResult r = helper(mode, "-e", "PATH=/bin", tree.toString(), "/bin/sh", "-c", "echo kept > /result; env");
    assertEquals(0, r.exit(), r.toString());
    // Only the variables given: the caller's SECRET did not cross over.
    assertEquals("SHLVL=1\nPATH=/bin\nPWD=/\n", r.stdout());
    assertEquals("kept\n", Files.readString(tree.resolve("result")));
    RunResult ro = helper(mode, "-r", tree.toString(), "/bin/busybox", "touch", "/other");
    assertEquals(1, ro.exit(), ro.toString());
    assertTrue(ro.stderr().contains("Read-only file system"), ro.stderr());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void keepOldRootIsForDebuggingOnly(Mode mode) throws Exception {
    Path tree = TestEnv.get().newRootfs(mode);
    Path canary = TestEnv.get().newDir("canary");
    Files.writeString(canary.resolve("visible"), "x");
    RunResult r = helper(mode, "-k", "-o", "host", tree.toString(), "/bin/busybox", "cat", "/host" + canary + "/visible");
    assertEquals(0, r.exit(), r.toString());
    assertEquals("x", r.stdout());
    // Without -k the same path is not there (the -k run above left /host, empty, in the tree).
    RunResult without = helper(mode, "-o", "host", tree.toString(), "/bin/busybox", "cat",
        "/host" + canary + "/visible");
    assertEquals(1, without.exit(), without.toString());
    assertTrue(without.stderr().contains("No such file or directory"), without.stderr());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void idMapsMustMapTheCallerAndOptionsAreChecked(Mode mode) {
    Path tree = TestEnv.get().newRootfs(mode);
    RunResult bad = helper(mode, "-M", "0 4000000 1", tree.toString(), "/bin/true");
    assertEquals(ExitStatus.NSROOT_FAILED, bad.exit());
    assertEquals("nsroot-exec: -M must map your uid " + mode.uid() + "\n", bad.stderr());
    RunResult mapped = helper(mode, "-M", "1000 " + mode.uid() + " 1", "-G", "1000 " + mode.gid() + " 1",
        tree.toString(), "/bin/busybox", "id", "-u");
    assertEquals("1000\n", mapped.stdout(), mapped.toString());
    // Mapping other ids needs privileges: the kernel's refusal is reported as such, not as
    // "user namespaces are unavailable" (they are: the namespace was made).
    RunResult foreign = helper(mode, "-M", "0 " + mode.uid() + " 1", "-M", "1 4000000 1", tree.toString(), "/bin/true");
    if (mode == Mode.USER) {
      assertEquals(ExitStatus.NSROOT_FAILED, foreign.exit(), foreign.toString());
      assertTrue(foreign.stderr().matches("nsroot-exec: cannot write /proc/[0-9]+/uid_map: Operation not permitted; "
          + "without privileges a user can map only their own uid and gid\n"), foreign.stderr());
    } else {
      assertEquals(0, foreign.exit(), foreign.toString());
    }
    RunResult junk = helper(mode, "--rlimit", "nofile=abc", tree.toString());
    assertEquals(ExitStatus.NSROOT_FAILED, junk.exit());
    assertEquals("nsroot-exec: invalid --rlimit: nofile=abc\n", junk.stderr());
    RunResult help = helper(mode, "--help");
    assertEquals(0, help.exit());
    assertTrue(help.stdout().startsWith("usage: nsroot-exec [OPTIONS] NEWROOT [CMD [ARG]...]"), help.stdout());
  }
}
