package org.nsroot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code nsroot} command: it only groups the subcommands. */
@Command(
    name = "nsroot",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Pull OCI/Docker images and run them in unprivileged Linux namespaces.",
    subcommands = {CommandLine.HelpCommand.class})
public final class NsrootCommand {

  static int execute(String[] args) {
    return new CommandLine(new NsrootCommand()).execute(args);
  }
}
