package org.nsroot.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast parser of {@code pull} against picocli, which stays the definition of the command. */
class PullArgumentsTest {

  static Stream<List<String>> plainForms() {
    return Stream.of(
        List.of("img"),
        List.of("-q", "img"),
        List.of("img", "-q", "--no-rootfs"),
        List.of("--jobs", "8", "img"),
        List.of("--jobs=2", "--quiet", "img"),
        List.of("--", "img"),
        List.of("--insecure", "--offline", "--platform", "linux/arm64/v8", "img"),
        List.of("--creds", "u:p", "--ca-cert=/ca.pem", "localhost:5000/x:1"));
  }

  @ParameterizedTest
  @MethodSource("plainForms")
  void readsPlainFormsAsPicocliDoes(List<String> args) throws Exception {
    ParsedFields.assertReadAlike("pull", args, PullArguments.parse(args));
  }

  static Stream<List<String>> formsForPicocli() {
    return Stream.of(
        List.of(),
        List.of("-q"),
        List.of("img", "other"),
        List.of("--help"),
        List.of("--jobs", "many", "img"),
        List.of("--jobs", "2", "--jobs", "3", "img"),
        List.of("-q", "--quiet", "img"),
        List.of("--no-rootfs=true", "img"),
        List.of("--bogus", "img"),
        List.of("--platform"));
  }

  @ParameterizedTest
  @MethodSource("formsForPicocli")
  void leavesEverythingElseToPicocli(List<String> args) {
    assertEquals(Optional.empty(), PullArguments.parse(args), "args " + args);
  }

  @Test
  void knowsExactlyPicocliOptions() {
    ParsedFields.assertSameOptions("pull", PullArguments.FLAGS, PullArguments.VALUED);
  }
}
