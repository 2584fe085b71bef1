package org.nsroot.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.cli.NsrootCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The fast parser of {@code run} against picocli, which stays the definition of the command. */
class RunArgumentsTest {

  /** What picocli makes of {@code run ARGS}: the command object with its fields set. */
  private static RunCommand picocli(List<String> args) {
    List<String> all = new ArrayList<>(List.of("run"));
    all.addAll(args);
    CommandLine cl = NsrootCommand.commandLine(all.toArray(String[]::new));
    CommandLine.ParseResult result = cl.parseArgs(all.toArray(String[]::new));
    return (RunCommand) result.subcommand().commandSpec().userObject();
  }

  /** Every field of the command and its registry options, by name, for comparison. */
  private static Map<String, Object> fields(RunCommand c) throws IllegalAccessException {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Object o : List.of(c, c.registry)) {
      for (Field f : o.getClass().getDeclaredFields()) {
        if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) && !f.getName().equals("registry")) {
          f.setAccessible(true);
          values.put(o.getClass().getSimpleName() + "." + f.getName(), f.get(o));
        }
      }
    }
    return values;
  }

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
        List.of("--workdir=/x", "--user=nobody", "--quiet", "img"));
  }

  @ParameterizedTest
  @MethodSource("plainForms")
  void readsPlainFormsAsPicocliDoes(List<String> args) throws Exception {
    Optional<RunCommand> fast = RunArguments.parse(args);
    assertTrue(fast.isPresent(), "a plain form must not need picocli: " + args);
    assertEquals(fields(picocli(args)), fields(fast.get()), "args " + args);
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
    CommandLine run = NsrootCommand.commandLine(new String[] {"run"}).getSubcommands().get("run");
    Set<String> flags = new HashSet<>();
    Set<String> valued = new HashSet<>();
    for (OptionSpec o : run.getCommandSpec().options()) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      (o.arity().max() == 0 ? flags : valued).addAll(List.of(o.names()));
    }
    assertEquals(flags, RunArguments.FLAGS);
    assertEquals(valued, RunArguments.VALUED);
  }

  @Test
  void picocliTakesAtArgumentsLiterally(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("args"), "--root\n");
    // Clustered short options send this one through picocli.
    List<String> args = List.of("-eA=1", "img", "echo", "@" + file);
    assertEquals(Optional.empty(), RunArguments.parse(args));
    RunCommand c = picocli(args);
    assertEquals(List.of("echo", "@" + file), c.words);
    assertEquals(false, c.root);
  }
}
