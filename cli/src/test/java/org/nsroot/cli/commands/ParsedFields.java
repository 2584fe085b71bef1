package org.nsroot.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nsroot.cli.NsrootCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** What a parser made of a command's arguments, for comparing the fast parsers with picocli. */
final class ParsedFields {
  private ParsedFields() {}

  /** What picocli makes of {@code nsroot COMMAND ARGS}: the command object, its fields set. */
  static Object picocli(String command, List<String> args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(args);
    String[] argv = all.toArray(String[]::new);
    return NsrootCommand.commandLine(argv).parseArgs(argv).subcommand().commandSpec().userObject();
  }

  /** Checks that a fast parser read {@code args} (into {@code fast}) as picocli reads them. */
  static void assertReadAlike(String command, List<String> args, Optional<?> fast) throws IllegalAccessException {
    assertTrue(fast.isPresent(), "a plain form must not need picocli: " + args);
    assertEquals(of(picocli(command, args)), of(fast.get()), "args " + args);
  }

  /** Every field of the command and of its registry and TLS options, by name. */
  static Map<String, Object> of(Object command) throws IllegalAccessException {
    Map<String, Object> values = new LinkedHashMap<>();
    collect(command, values);
    return values;
  }

  private static void collect(Object o, Map<String, Object> values) throws IllegalAccessException {
    for (Field f : o.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      f.setAccessible(true);
      Object value = f.get(o);
      if (value instanceof RegistryOptions || value instanceof TlsOptions) {
        collect(value, values);
      } else {
        values.put(o.getClass().getSimpleName() + "." + f.getName(), value);
      }
    }
  }

  /** Checks that picocli's model of {@code command} has exactly these flags and valued options. */
  static void assertSameOptions(String command, Set<String> flags, Set<String> valued) {
    CommandLine cl = NsrootCommand.commandLine(new String[] {command}).getSubcommands().get(command);
    Set<String> picocliFlags = new HashSet<>();
    Set<String> picocliValued = new HashSet<>();
    for (OptionSpec o : cl.getCommandSpec().options()) {
      if (!o.usageHelp() && !o.versionHelp()) {
        (o.arity().max() == 0 ? picocliFlags : picocliValued).addAll(List.of(o.names()));
      }
    }
    assertEquals(picocliFlags, flags, command + " flags");
    assertEquals(picocliValued, valued, command + " options with a value");
  }
}
