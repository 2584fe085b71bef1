package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/**
 * A JVM replaces itself with the helper (execve through jnr-posix, {@code JvmReplacer}; the CLI's
 * launcher does the same from its shell once the JVM exited, see {@code ExecPlan}). The process
 * keeps its pid, no JVM thread survives, the command's status is the process's, and a file
 * descriptor the JVM leaked does not reach the command.
 */
class ExecPathIT {
  static List<Mode> modes() {
    return Mode.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void theJvmBecomesTheHelper(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path v = TestEnv.get().newDir("exec");
    TestEnv.get().chownTree(v, mode);
    Path leak = v.resolve("leak");
    Files.writeString(leak, "jvm secret\n");
    List<String> cmd = new ArrayList<>(mode.prefix());
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(readableClasspath());
    cmd.add(ExecMain.class.getName());
    cmd.add(TestEnv.get().helper(mode).path().toString());
    cmd.add(rootfs.toString());
    cmd.add(v.toString());
    cmd.add(leak.toString());
    Path out = v.resolve("out");
    Path err = v.resolve("err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    HostProcesses.awaitText(out, "jvm-fd: ");
    for (int i = 0; i < 1800 && !Files.exists(v.resolve("started")); i++) {
      Thread.sleep(50);
    }
    Path proc = Path.of("/proc", Long.toString(p.pid()));
    assertEquals(TestEnv.get().helper(mode).path(), Files.readSymbolicLink(proc.resolve("exe")));
    try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
      assertEquals(1, tasks.count(), "threads of the JVM survived execve");
    }
    Files.writeString(v.resolve("go"), "");
    RunResult r = Containers.finish(p, out, err);
    assertEquals(42, r.exit(), r.toString());
    String fd = r.stdout().lines().filter(l -> l.startsWith("jvm-fd: ")).findFirst().orElseThrow().substring(8);
    assertTrue(Integer.parseInt(fd) > 2, r.stdout());
    List<String> seen = r.stdout().lines().filter(l -> l.startsWith("fd ")).map(l -> l.split(" ")[1]).toList();
    assertEquals(List.of("0", "1", "2"), seen, r.stdout());
  }

  /** The test classpath, copied where the unprivileged test user can read it. */
  private static synchronized String readableClasspath() throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path dir = TestEnv.get().newDir("classpath");
    List<String> out = new ArrayList<>();
    int i = 0;
    for (String entry : cp.split(File.pathSeparator)) {
      Path src = Path.of(entry);
      if (!Files.exists(src)) {
        continue;
      }
      Path dst = dir.resolve(i++ + "-" + src.getFileName());
      TestEnv.exec(List.of("cp", "-r", src.toString(), dst.toString()));
      TestEnv.exec(List.of("chmod", "-R", "a+rX", dst.toString()));
      out.add(dst.toString());
    }
    return String.join(File.pathSeparator, out);
  }
}
