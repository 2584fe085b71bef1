package org.nsroot.cli.commands;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code nsroot pull}'s plain arguments, read without picocli (see {@link PlainArguments}). */
public final class PullArguments extends PlainArguments {
  static final Set<String> FLAGS = union(REGISTRY_FLAGS, Set.of("-q", "--quiet", "--no-rootfs"));
  static final Set<String> VALUED = union(REGISTRY_VALUED, Set.of("--jobs"));

  private final PullCommand command = new PullCommand();

  private PullArguments() {
    super(FLAGS, VALUED, false); // as picocli reads pull: `pull IMAGE -q` is `pull -q IMAGE`
  }

  /**
   * The pull that {@code args} describe, or empty when picocli must read them.
   *
   * @param args the arguments after the subcommand's name
   * @return the command, ready to call; empty for anything but the plain forms
   */
  public static Optional<PullCommand> parse(List<String> args) {
    PullArguments a = new PullArguments();
    return a.read(args) ? Optional.of(a.command) : Optional.empty();
  }

  @Override
  void positionals(List<String> words) {
    if (words.size() != 1) {
      throw new NotPlain(); // none, or too many: picocli says which
    }
    command.image = words.get(0);
  }

  @Override
  void flag(String name) {
    switch (name) {
      case "-q", "--quiet" -> {
        once("--quiet");
        command.quiet = true;
      }
      case "--no-rootfs" -> {
        once(name);
        command.noRootfs = true;
      }
      default -> {
        once(name);
        registryFlag(command.registry, name);
      }
    }
  }

  @Override
  void option(String name, String value) {
    once(name);
    if (name.equals("--jobs")) {
      command.jobs = integer(value);
    } else {
      registryOption(command.registry, name, value);
    }
  }
}
