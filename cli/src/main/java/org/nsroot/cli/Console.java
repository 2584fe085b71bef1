package org.nsroot.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a command may know of its surroundings: output streams, the environment and whether
 * stderr is a terminal (the launcher checks with {@code [ -t 2 ]}; a JVM cannot ask cheaply).
 */
public record Console(PrintStream out, PrintStream err, Map<String, String> env, boolean errIsTerminal) {

  public static Console system() {
    boolean tty = Boolean.getBoolean("nsroot.stderr.tty")
        || (System.getProperty("nsroot.stderr.tty") == null && System.console() != null);
    return new Console(System.out, System.err, System.getenv(), tty);
  }

  /** Prints a one-line error, as every failure of nsroot is reported. */
  public void error(String message) {
    err.println("nsroot: " + message);
  }

  public boolean debug() {
    return "1".equals(env.get("NSROOT_DEBUG"));
  }
}
