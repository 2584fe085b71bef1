package org.nsroot.cli;

import org.nsroot.cli.commands.ChrootCommand;
import org.nsroot.cli.commands.ExportCommand;
import org.nsroot.cli.commands.ImagesCommand;
import org.nsroot.cli.commands.ImportCommand;
import org.nsroot.cli.commands.InspectCommand;
import org.nsroot.cli.commands.LoginCommand;
import org.nsroot.cli.commands.LogoutCommand;
import org.nsroot.cli.commands.PruneCommand;
import org.nsroot.cli.commands.PullArguments;
import org.nsroot.cli.commands.PullCommand;
import org.nsroot.cli.commands.RmiCommand;
import org.nsroot.cli.commands.RootfsCommand;
import org.nsroot.cli.commands.RunArguments;
import org.nsroot.cli.commands.RunCommand;
import org.nsroot.cli.commands.SaveCommand;
import org.nsroot.cli.commands.WarmUpCommand;
import org.nsroot.fetch.FetchException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code nsroot} command: it only groups the subcommands. */
@Command(
    name = "nsroot",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Pull OCI/Docker images and run them in unprivileged Linux namespaces.",
      "",
      "The store is $NSROOT_HOME, else $${XDG_DATA_HOME:-$HOME/.local/share}/nsroot."
    },
    footer = {
      "",
      "Exit codes: 0 ok, 2 usage, 3 not found, 4 authentication, 5 registry or network, "
          + "6 verification, 7 local store. run and chroot: the command's own status, 128+N when "
          + "signal N killed it, 124 timeout, 125 nsroot failed, 126 cannot execute, 127 not found."
    })
public final class NsrootCommand {
  /** The subcommands, in the order help lists them. */
  private static final List<String> SUBCOMMANDS = List.of(
      "run", "pull", "images", "inspect", "rmi", "prune", "import", "save", "export", "rootfs", "chroot",
      "login", "logout", "warm-up", "help");

  /**
   * A new instance of a subcommand. (A switch, not a map of constructor references: a lambda's
   * first use costs a JVM tens of milliseconds at start-up.)
   */
  private static Object newSubcommand(String name) {
    switch (name) {
      case "run": return new RunCommand();
      case "pull": return new PullCommand();
      case "images": return new ImagesCommand();
      case "inspect": return new InspectCommand();
      case "rmi": return new RmiCommand();
      case "prune": return new PruneCommand();
      case "import": return new ImportCommand();
      case "save": return new SaveCommand();
      case "export": return new ExportCommand();
      case "rootfs": return new RootfsCommand();
      case "chroot": return new ChrootCommand();
      case "login": return new LoginCommand();
      case "logout": return new LogoutCommand();
      case "warm-up": return new WarmUpCommand();
      case "help": return new CommandLine.HelpCommand();
      default: throw new IllegalArgumentException("no subcommand " + name); // a name in SUBCOMMANDS only
    }
  }

  /**
   * The command line parser for {@code args}. picocli reflects over every option of every
   * subcommand it is given; when the first argument names one, it gets only that one, which takes
   * a third off the start-up of a command ({@code run} and {@code pull} in their plain forms skip
   * picocli: see {@code PlainArguments}).
   */
  public static CommandLine commandLine(String[] args) {
    CommandLine cl = new CommandLine(new NsrootCommand());
    boolean one = args.length > 0 && SUBCOMMANDS.contains(args[0]) && !args[0].equals("help");
    for (String name : SUBCOMMANDS) {
      if (!one || name.equals(args[0])) {
        cl.addSubcommand(name, newSubcommand(name));
      }
    }
    // Everything after the image or directory belongs to the command run there, options included.
    CommandLine chroot = cl.getSubcommands().get("chroot");
    if (chroot != null) {
      chroot.setUnmatchedOptionsArePositionalParams(true).setStopAtPositional(true);
    }
    CommandLine run = cl.getSubcommands().get("run");
    if (run != null) {
      run.setStopAtPositional(true);
    }
    // An argument "@FILE" is an argument, not FILE's contents (picocli's default): `run IMAGE
    // echo @x` must say "@x", as in docker.
    cl.setExpandAtFiles(false);
    return cl;
  }

  static int execute(String[] args) {
    Console console = Console.system();
    Optional<? extends Callable<Integer>> plain = plainCommand(args);
    if (plain.isPresent()) {
      try {
        return plain.get().call();
      } catch (Exception e) {
        return failed(console, e, plain.get());
      }
    }
    CommandLine cl = commandLine(args);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(console, e, commandLine.getCommand()));
    cl.setParameterExceptionHandler((e, args1) -> {
      console.error(e.getMessage() + " (see nsroot " + e.getCommandLine().getCommandName() + " --help)");
      return e.getCommandLine().getCommand() instanceof RunsPrograms ? ExitCodes.RUN_FAILED : ExitCodes.USAGE;
    });
    return cl.execute(args);
  }

  /** run or pull in their plain forms, read without picocli (see PlainArguments); else empty. */
  private static Optional<? extends Callable<Integer>> plainCommand(String[] args) {
    if (args.length == 0) {
      return Optional.empty();
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (args[0]) {
      case "run": return RunArguments.parse(rest);
      case "pull": return PullArguments.parse(rest);
      default: return Optional.empty();
    }
  }

  /** Reports a command's failure in one line and gives its exit code. */
  private static int failed(Console console, Exception e, Object command) {
    int code = command instanceof RunsPrograms ? ExitCodes.RUN_FAILED : ExitCodes.of(e);
    console.error(code == ExitCodes.INTERNAL && !(e instanceof FetchException)
        ? "internal error: " + e + " (please report it; NSROOT_DEBUG=1 shows details)"
        : e.getMessage());
    if (console.debug()) {
      e.printStackTrace(console.err());
    }
    return code;
  }

  /** Marks the commands whose exit code is the program's own (docker's convention for errors). */
  public interface RunsPrograms {}
}
