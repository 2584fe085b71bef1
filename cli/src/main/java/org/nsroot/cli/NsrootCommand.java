package org.nsroot.cli;

import org.nsroot.cli.commands.ChrootCommand;
import org.nsroot.cli.commands.ImagesCommand;
import org.nsroot.cli.commands.ImportCommand;
import org.nsroot.cli.commands.InspectCommand;
import org.nsroot.cli.commands.PruneCommand;
import org.nsroot.cli.commands.PullCommand;
import org.nsroot.cli.commands.RmiCommand;
import org.nsroot.cli.commands.SaveCommand;
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
      "The store is $NSROOT_HOME, else ${XDG_DATA_HOME:-$HOME/.local/share}/nsroot."
    },
    subcommands = {
      PullCommand.class,
      ImagesCommand.class,
      InspectCommand.class,
      RmiCommand.class,
      PruneCommand.class,
      ImportCommand.class,
      SaveCommand.class,
      ChrootCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 2 usage, 3 not found, 4 authentication, 5 registry or network,",
      "6 verification, 7 local store; run: 125 nsroot failed, 126 cannot execute, 127 not found,",
      "otherwise the command's own status (128+N when signal N killed it)."
    })
public final class NsrootCommand {

  static int execute(String[] args) {
    Console console = Console.system();
    CommandLine cl = new CommandLine(new NsrootCommand());
    // Everything after the image or directory belongs to the command run there, options included.
    cl.getSubcommands().get("chroot").setUnmatchedOptionsArePositionalParams(true).setStopAtPositional(true);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Object command = commandLine.getCommand();
      int code = command instanceof RunsPrograms ? ExitCodes.RUN_FAILED : ExitCodes.of(e);
      console.error(code == ExitCodes.INTERNAL && !(e instanceof org.nsroot.fetch.FetchException)
          ? "internal error: " + e + " (please report it; NSROOT_DEBUG=1 shows details)"
          : e.getMessage());
      if (console.debug()) {
        e.printStackTrace(console.err());
      }
      return code;
    });
    cl.setParameterExceptionHandler((e, args1) -> {
      console.error(e.getMessage());
      console.err().println("Try 'nsroot " + e.getCommandLine().getCommandName() + " --help' for more information.");
      return e.getCommandLine().getCommand() instanceof RunsPrograms ? ExitCodes.RUN_FAILED : ExitCodes.USAGE;
    });
    return cl.execute(args);
  }

  /** Marks the commands whose exit code is the program's own (docker's convention for errors). */
  public interface RunsPrograms {}
}
