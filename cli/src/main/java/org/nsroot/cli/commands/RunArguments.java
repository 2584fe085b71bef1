package org.nsroot.cli.commands;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code nsroot run}'s arguments without picocli. Building picocli's model of a command
 * costs a fresh JVM about 45 ms, a third of what a run takes to start (docs/decisions.md), and a
 * run is the command users start thousands of times from batch scripts.
 *
 * <p>Only the plain forms are read here: flags alone, {@code --name value}, {@code --name=value},
 * {@code -x value}, then the image and the command. Anything else — help, an unknown or repeated
 * option, clustered short options, a value that looks like an option or does not convert, a
 * missing image — gives {@link Optional#empty()}, and picocli parses and reports it as it always
 * has. The annotations on {@link RunCommand} and {@link RegistryOptions} remain the definition: a
 * test checks that both parsers know the same options and read every argument list alike.
 */
public final class RunArguments {
  static final Set<String> FLAGS = Set.of(
      "--root", "--writable", "--no-tty", "--allow-nested-userns", "-q", "--quiet", "--insecure", "--offline");
  static final Set<String> VALUED = Set.of(
      "-e", "--env", "--env-file", "-v", "--volume", "-w", "--workdir", "-u", "--user", "--entrypoint",
      "--hostname", "--net", "--timeout", "--limit", "--memory", "--cpus", "--pids-limit", "--tmp-size",
      "--pull", "--platform", "--creds", "--ca-cert");

  private final RunCommand command = new RunCommand();
  /** Options seen so far, by their long name: picocli refuses a single-valued option given twice. */
  private final Set<String> seen = new HashSet<>();

  private RunArguments() {}

  /**
   * The run that {@code args} (the words after {@code run}) describe, or empty when picocli must
   * read them.
   *
   * @param args the arguments after the subcommand's name
   * @return the command, ready to call; empty for anything but the plain forms
   */
  public static Optional<RunCommand> parse(List<String> args) {
    try {
      return Optional.of(new RunArguments().fill(args));
    } catch (NotPlain e) {
      return Optional.empty();
    }
  }

  private RunCommand fill(List<String> args) {
    int i = 0;
    while (i < args.size()) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        i++;
        break;
      }
      if (!arg.startsWith("-")) {
        break;
      }
      int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
      String name = eq < 0 ? arg : arg.substring(0, eq);
      if (FLAGS.contains(name) && eq < 0) {
        flag(name);
        i++;
      } else if (VALUED.contains(name)) {
        String value;
        if (eq >= 0) {
          value = arg.substring(eq + 1);
          i++;
        } else {
          if (i + 1 >= args.size() || args.get(i + 1).startsWith("-")) {
            throw new NotPlain();
          }
          value = args.get(i + 1);
          i += 2;
        }
        option(name, value);
      } else {
        throw new NotPlain();
      }
    }
    if (i >= args.size()) {
      throw new NotPlain(); // no image: picocli names what is missing
    }
    command.image = args.get(i);
    // Options stop at the image (as in docker): the rest is the command, "--" included.
    command.words.addAll(args.subList(i + 1, args.size()));
    return command;
  }

  private void flag(String name) {
    once(name);
    switch (name) {
      case "--root" -> command.root = true;
      case "--writable" -> command.writable = true;
      case "--no-tty" -> command.noTty = true;
      case "--allow-nested-userns" -> command.allowNestedUserns = true;
      case "-q", "--quiet" -> command.quiet = true;
      case "--insecure" -> command.registry.insecure = true;
      case "--offline" -> command.registry.offline = true;
      default -> throw new IllegalStateException("flag " + name + " is listed but not read");
    }
  }

  private void option(String name, String value) {
    switch (name) {
      case "-e", "--env" -> command.env.add(value);
      case "--env-file" -> command.envFiles.add(path(value));
      case "-v", "--volume" -> command.volumes.add(value);
      case "--limit" -> command.limits.add(value);
      default -> single(name, value);
    }
  }

  private void single(String name, String value) {
    once(name);
    switch (name) {
      case "-w", "--workdir" -> command.workdir = value;
      case "-u", "--user" -> command.user = value;
      case "--entrypoint" -> command.entrypoint = value;
      case "--hostname" -> command.hostname = value;
      case "--net" -> command.net = value;
      case "--timeout" -> command.timeout = number(value);
      case "--memory" -> command.memory = value;
      case "--cpus" -> command.cpus = decimal(value);
      case "--pids-limit" -> command.pidsLimit = number(value);
      case "--tmp-size" -> command.tmpSize = value;
      case "--pull" -> command.pull = value;
      case "--platform" -> command.registry.platform = value;
      case "--creds" -> command.registry.creds = value;
      case "--ca-cert" -> command.registry.caCert = path(value);
      default -> throw new IllegalStateException("option " + name + " is listed but not read");
    }
  }

  private void once(String name) {
    String canonical = switch (name) {
      case "-q" -> "--quiet";
      case "-w" -> "--workdir";
      case "-u" -> "--user";
      default -> name;
    };
    if (!seen.add(canonical)) {
      throw new NotPlain();
    }
  }

  private static Long number(String value) {
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException e) {
      throw new NotPlain();
    }
  }

  private static Path path(String value) {
    try {
      return Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new NotPlain();
    }
  }

  private static Double decimal(String value) {
    try {
      return Double.valueOf(value);
    } catch (NumberFormatException e) {
      throw new NotPlain();
    }
  }

  /** An argument list that picocli must read (and report, if it is wrong). */
  private static final class NotPlain extends RuntimeException {
    NotPlain() {
      super(null, null, false, false);
    }
  }
}
