package org.nsroot.cli.commands;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.nsroot.cli.UsageException;

/** Reads a secret: typed without echo on a terminal, else one line of standard input (scripts). */
final class PasswordPrompt {
  private PasswordPrompt() {}

  static String read(org.nsroot.cli.Console console, String prompt) throws UsageException {
    Console terminal = console.stdioIsTerminal() ? System.console() : null;
    if (terminal != null) {
      char[] typed = terminal.readPassword("%s", prompt);
      return typed == null ? "" : new String(typed);
    }
    try {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return line == null ? "" : line;
    } catch (IOException e) {
      throw new UsageException("cannot read the password from standard input: " + e.getMessage());
    }
  }
}
