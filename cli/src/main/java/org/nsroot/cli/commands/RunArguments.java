package org.nsroot.cli.commands;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code nsroot run}'s plain arguments, read without picocli (see {@link PlainArguments}). */
public final class RunArguments extends PlainArguments {
  static final Set<String> FLAGS = union(REGISTRY_FLAGS,
      Set.of("--root", "--writable", "--no-tty", "--allow-nested-userns", "-q", "--quiet",
          "--rm", "-i", "--interactive", "-t", "--tty"));
  static final Set<String> VALUED = union(REGISTRY_VALUED, Set.of(
      "-e", "--env", "--env-file", "-v", "--volume", "-w", "--workdir", "-u", "--user", "--entrypoint",
      "--hostname", "--net", "--network", "--timeout", "--limit", "--memory", "--cpus", "--pids-limit", "--tmp-size",
      "--pull"));

  private final RunCommand command = new RunCommand();

  private RunArguments() {
    super(FLAGS, VALUED, true); // as in docker: what follows the image belongs to the command run there
  }

  /**
   * The run that {@code args} describe, or empty when picocli must read them.
   *
   * @param args the arguments after the subcommand's name
   * @return the command, ready to call; empty for anything but the plain forms
   */
  public static Optional<RunCommand> parse(List<String> args) {
    RunArguments a = new RunArguments();
    return a.read(args) ? Optional.of(a.command) : Optional.empty();
  }

  @Override
  void positionals(List<String> words) {
    if (words.isEmpty()) {
      throw new NotPlain(); // no image: picocli names what is missing
    }
    command.image = words.get(0);
    command.words.addAll(words.subList(1, words.size())); // "--" included, as picocli leaves it
  }

  @Override
  void flag(String name) {
    switch (name) {
      case "--root" -> {
        once(name);
        command.root = true;
      }
      case "--writable" -> {
        once(name);
        command.writable = true;
      }
      case "--no-tty" -> {
        once(name);
        command.noTty = true;
      }
      case "--allow-nested-userns" -> {
        once(name);
        command.allowNestedUserns = true;
      }
      case "-q", "--quiet" -> {
        once("--quiet");
        command.quiet = true;
      }
      case "--rm" -> {
        once(name);
        command.rm = true;
      }
      case "-i", "--interactive" -> {
        once("--interactive");
        command.interactive = true;
      }
      case "-t", "--tty" -> {
        once("--tty");
        command.tty = true;
      }
      default -> {
        once(name);
        registryFlag(command.registry, name);
      }
    }
  }

  @Override
  void option(String name, String value) {
    switch (name) {
      case "-e", "--env" -> command.env.add(value);
      case "--env-file" -> command.envFiles.add(path(value));
      case "-v", "--volume" -> command.volumes.add(value);
      case "--limit" -> command.limits.add(value);
      default -> single(name, value);
    }
  }

  private void single(String name, String value) {
    switch (name) {
      case "-w", "--workdir" -> {
        once("--workdir");
        command.workdir = value;
      }
      case "-u", "--user" -> {
        once("--user");
        command.user = value;
      }
      case "--net", "--network" -> {
        once("--net");
        command.net = value;
      }
      default -> {
        once(name);
        setLong(name, value);
      }
    }
  }

  /** The single-valued options that have only a long name. */
  private void setLong(String name, String value) {
    switch (name) {
      case "--entrypoint" -> command.entrypoint = value;
      case "--hostname" -> command.hostname = value;
      case "--timeout" -> command.timeout = number(value);
      case "--memory" -> command.memory = value;
      case "--cpus" -> command.cpus = decimal(value);
      case "--pids-limit" -> command.pidsLimit = number(value);
      case "--tmp-size" -> command.tmpSize = value;
      case "--pull" -> command.pull = value;
      default -> registryOption(command.registry, name, value);
    }
  }
}
