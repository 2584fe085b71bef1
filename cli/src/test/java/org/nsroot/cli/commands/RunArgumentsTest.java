package org.nsroot.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast parser of {@code run} against picocli, which stays the definition of the command. */
class RunArgumentsTest {

  static Stream<List<String>> plainForms() {
    return Stream.of(
        List.of("img"),
        List.of("img", "/bin/true"),
        List.of("img", "--", "cmd", "-x"),
        List.of("--", "img", "cmd", "--root"),
        List.of("img", "cmd", "--root", "-e", "X=1"),
        List.of("img", "echo", "@file"),
        List.of("-q", "--pull=never", "img", "/bin/true"),
        List.of("--root", "--writable", "--no-tty", "--allow-nested-userns", "--insecure", "--offline", "img"),
        List.of("-e", "A=1", "--env", "B", "--env=C=3", "-e", "", "img"),
        List.of("-v", "/a:/b", "--volume", "/c:/d:ro", "--volume=/e:/f", "img"),
        List.of("-w", "/work", "-u", "1000:1000", "--entrypoint", "", "--hostname", "h", "img"),
        List.of("--net", "host", "--timeout", "30", "--limit", "nofile=64", "--limit=cpu=1", "img"),
        List.of("--memory", "1g", "--cpus", "1.5", "--pids-limit", "64", "--tmp-size", "64m", "img"),
        List.of("--env-file", "vars.env", "--env-file=more.env", "--ca-cert", "/ca.pem", "img"),
        List.of("--platform", "linux/arm64/v8", "--creds", "u:p", "--pull", "always", "img", "a", "b"),
        List.of("--workdir=/x", "--user=nobody", "--quiet", "img"),
        List.of("--rm", "-i", "-t", "img", "sh"),
        List.of("--interactive", "--tty", "img"),
        List.of("--network", "none", "img"),
        List.of("--network=host", "img"));
  }

  @ParameterizedTest
  @MethodSource("plainForms")
  void readsPlainFormsAsPicocliDoes(List<String> args) throws Exception {
    ParsedFields.assertReadAlike("run", args, RunArguments.parse(args));
  }

  static Stream<List<String>> formsForPicocli() {
    return Stream.of(
        List.of(),
        List.of("--root"),
        List.of("--help"),
        List.of("-h", "img"),
        List.of("--version"),
        List.of("--bogus", "img"),
        List.of("-qe", "A=1", "img"),
        List.of("--rm", "-it", "img", "sh"),
        List.of("--net", "host", "--network", "none", "img"),
        List.of("-eA=1", "img"),
        List.of("--root=true", "img"),
        List.of("--workdir", "/a", "--workdir", "/b", "img"),
        List.of("-w", "/a", "--workdir=/b", "img"),
        List.of("--quiet", "-q", "img"),
        List.of("--timeout", "soon", "img"),
        List.of("--cpus", "many", "img"),
        List.of("--hostname", "--root", "img"),
        List.of("-e"),
        List.of("-", "img"));
  }

  @ParameterizedTest
  @MethodSource("formsForPicocli")
  void leavesEverythingElseToPicocli(List<String> args) {
    assertEquals(Optional.empty(), RunArguments.parse(args), "args " + args);
  }

  @Test
  void knowsExactlyPicocliOptions() {
    ParsedFields.assertSameOptions("run", RunArguments.FLAGS, RunArguments.VALUED);
  }

  @Test
  void dockersRmAndItAreAccepted() {
    RunCommand c = (RunCommand) ParsedFields.picocli("run", List.of("--rm", "-it", "img", "sh"));
    assertEquals(List.of(true, true, true), List.of(c.rm, c.interactive, c.tty));
    assertEquals("img", c.image);
    assertEquals(List.of("sh"), c.words);
  }

  @Test
  void picocliTakesAtArgumentsLiterally(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("args"), "--root\n");
    // Clustered short options send this one through picocli.
    List<String> args = List.of("-eA=1", "img", "echo", "@" + file);
    assertEquals(Optional.empty(), RunArguments.parse(args));
    RunCommand c = (RunCommand) ParsedFields.picocli("run", args);
    assertEquals(List.of("echo", "@" + file), c.words);
    // Before the image, an expanded file would be read as nsroot's own option.
    RunCommand before = (RunCommand) ParsedFields.picocli("run", List.of("-eA=1", "@" + file, "img"));
    assertEquals("@" + file, before.image);
    assertEquals(false, before.root);
  }
}
