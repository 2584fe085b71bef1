package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.spec.Mount;
import org.nsroot.runtime.spec.RunSpec;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/** An interactive run (--pty) under a real terminal, script(1)'s: input, output, size, status. */
class TerminalIT {
  static List<Mode> modes() {
    return Mode.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void aNewTerminalIsRelayedBothWays(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunSpec spec = Containers.sh(rootfs, "read x; echo got:$x; tty; stty size; exit 5").tty(true).build();
    String inner = Shell.join(Containers.builder(mode, spec).command());
    Path dir = TestEnv.get().newDir("tty");
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", "stty rows 33 cols 111; " + inner, "/dev/null")
        .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    pb.environment().putAll(Containers.builder(mode, spec).environment());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write("abc\n".getBytes(StandardCharsets.UTF_8));
    }
    RunResult r = Containers.finish(p, dir.resolve("out"), dir.resolve("err"));
    assertEquals(5, r.exit(), r.toString());
    List<String> lines = r.stdout().replace("\r", "").lines().filter(l -> !l.equals("abc")).toList();
    assertEquals(List.of("got:abc", "/dev/pts/0", "33 111"), lines, r.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void aResizeReachesTheCommand(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path v = TestEnv.get().newDir("winch");
    TestEnv.get().chownTree(v, mode);
    RunSpec spec = Containers.sh(rootfs, "trap 'stty size > /v/size; exit 3' WINCH; touch /v/ready; "
        + "while :; do sleep 0.05; done").tty(true).mount(new Mount.Bind(v, "/v", false)).build();
    String inner = Shell.join(Containers.builder(mode, spec).command());
    // Start the run, wait until its trap is set, resize the outer terminal, signal the helper.
    String script = "stty rows 10 cols 20; " + inner + " </dev/tty & "
        + "until [ -e " + v + "/ready ]; do sleep 0.05; done; stty rows 40 cols 120; kill -WINCH $!; "
        + "wait $!; echo status=$?";
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", script, "/dev/null");
    pb.environment().putAll(Containers.builder(mode, spec).environment());
    RunResult r = Containers.run(pb);
    assertEquals(0, r.exit(), r.toString());
    // (script(1) may echo the EOF it sends when its own stdin ends as "^@": not ours.)
    assertTrue(r.stdout().replace("\r", "").endsWith("status=3\n"), r.toString());
    assertEquals("40 120\n", Files.readString(v.resolve("size")));
  }
}
