package org.nsroot.cli.commands;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a command's arguments without picocli, for the commands users start most ({@code run},
 * from batch scripts, thousands of times; {@code pull}). Building picocli's model of a command
 * costs a fresh JVM about 45 ms: a third of what a run takes to start, and more than skopeo needs
 * for a whole pull of an image it already has (docs/decisions.md).
 *
 * <p>Only the plain forms are read: flags alone, {@code --name value}, {@code --name=value},
 * {@code -x value}, and the positional arguments. Anything else — help, an unknown or repeated
 * option, clustered short options, a value that looks like an option or does not convert, a
 * missing or extra positional — makes {@link #read} return false, and picocli parses and reports
 * it as it always has. The annotations on the commands remain the definition: tests check that
 * both parsers know the same options and read every plain form alike.
 */
abstract class PlainArguments {
  static final Set<String> REGISTRY_FLAGS = Set.of("--insecure", "--offline");
  static final Set<String> REGISTRY_VALUED = Set.of("--platform", "--creds", "--ca-cert");

  /** The command's boolean options, and those that take a value: every alias. */
  private final Set<String> flags;
  private final Set<String> valued;
  /** Whether options end at the first positional, as for run, whose command has options of its own. */
  private final boolean optionsEndAtPositional;
  /** Options seen so far, by their long name: picocli refuses a single-valued option given twice. */
  private final Set<String> seen = new HashSet<>();

  PlainArguments(Set<String> flags, Set<String> valued, boolean optionsEndAtPositional) {
    this.flags = flags;
    this.valued = valued;
    this.optionsEndAtPositional = optionsEndAtPositional;
  }

  /** Sets the flag {@code name}, one of the command's flags. */
  abstract void flag(String name);

  /** Sets the option {@code name}, one of those that take a value, to {@code value}. */
  abstract void option(String name, String value);

  /** Takes the positional arguments, in order; throws {@link NotPlain} if they are not what the command takes. */
  abstract void positionals(List<String> words);

  /** Reads {@code args} into the command; false if picocli must read them. */
  final boolean read(List<String> args) {
    try {
      List<String> words = new ArrayList<>();
      int i = 0;
      while (i < args.size()) {
        String arg = args.get(i);
        if (arg.equals("--")) {
          words.addAll(args.subList(i + 1, args.size()));
          break;
        }
        if (!arg.startsWith("-")) {
          if (optionsEndAtPositional) {
            words.addAll(args.subList(i, args.size()));
            break;
          }
          words.add(arg);
          i++;
          continue;
        }
        int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
        String name = eq < 0 ? arg : arg.substring(0, eq);
        if (eq < 0 && flags.contains(name)) {
          flag(name);
          i++;
        } else if (valued.contains(name)) {
          if (eq >= 0) {
            option(name, arg.substring(eq + 1));
            i++;
          } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
            option(name, args.get(i + 1));
            i += 2;
          } else {
            throw new NotPlain();
          }
        } else {
          throw new NotPlain();
        }
      }
      positionals(words);
      return true;
    } catch (NotPlain e) {
      return false;
    }
  }

  /** Records a single-valued option by its long name; a second one is picocli's to refuse. */
  final void once(String longName) {
    if (!seen.add(longName)) {
      throw new NotPlain();
    }
  }

  /** Sets one of {@link #REGISTRY_FLAGS} (the caller records it with {@link #once}). */
  static void registryFlag(RegistryOptions registry, String name) {
    switch (name) {
      case "--insecure" -> registry.tls.insecure = true;
      case "--offline" -> registry.offline = true;
      default -> throw new IllegalStateException("flag " + name + " is listed but not read");
    }
  }

  /** Sets one of {@link #REGISTRY_VALUED} (the caller records it with {@link #once}). */
  static void registryOption(RegistryOptions registry, String name, String value) {
    switch (name) {
      case "--platform" -> registry.platform = value;
      case "--creds" -> registry.creds = value;
      case "--ca-cert" -> registry.tls.caCert = path(value);
      default -> throw new IllegalStateException("option " + name + " is listed but not read");
    }
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  static Long number(String value) {
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException e) {
      throw new NotPlain();
    }
  }

  static int integer(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new NotPlain();
    }
  }

  static Double decimal(String value) {
    try {
      return Double.valueOf(value);
    } catch (NumberFormatException e) {
      throw new NotPlain();
    }
  }

  static Path path(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new NotPlain();
    }
  }

  /** Arguments that picocli must read (and report, if they are wrong). */
  static final class NotPlain extends RuntimeException {
    NotPlain() {
      super(null, null, false, false);
    }
  }
}
