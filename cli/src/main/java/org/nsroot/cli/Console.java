package org.nsroot.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a command may know of its surroundings: output streams, the environment, whether stderr
 * is a terminal (progress is drawn there) and whether stdin and stdout are one (a run gets a
 * terminal, a password is asked for). The launcher checks with {@code [ -t N ]}: a JVM cannot ask
 * cheaply, and from JDK 22 on System.console() may exist without a terminal.
 */
public record Console(PrintStream out, PrintStream err, Map<String, String> env, boolean errIsTerminal,
    boolean stdioIsTerminal) {

  public static Console system() {
    return new Console(System.out, System.err, System.getenv(), terminal("nsroot.stderr.tty"),
        terminal("nsroot.stdio.tty"));
  }

  /** As the launcher said in {@code property}; without a launcher, whether the JVM has a console. */
  private static boolean terminal(String property) {
    String said = System.getProperty(property);
    return said != null ? Boolean.parseBoolean(said) : System.console() != null;
  }

  /** Prints a one-line error, as every failure of nsroot is reported. */
  public void error(String message) {
    err.println("nsroot: " + message);
  }

  public boolean debug() {
    return "1".equals(env.get("NSROOT_DEBUG"));
  }
}
