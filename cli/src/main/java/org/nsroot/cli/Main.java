package org.nsroot.cli;

import org.nsroot.runtime.launch.ExecPlan;

/** Entry point of the {@code nsroot} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // picocli registers converters for java.sql and java.time types by reflection, which loads
    // and initialises those packages (date formatters included) on every start; nsroot takes
    // neither kind of value.
    if (System.getProperty("picocli.converters.excludes") == null) {
      System.setProperty("picocli.converters.excludes", "java\\.sql\\..*,java\\.time\\..*");
    }
    int code = NsrootCommand.execute(args);
    if (ExecPlan.written()) {
      // The launcher becomes the helper as soon as this JVM is gone, and nothing is left to do:
      // the plan is written, the store's files are closed, no shutdown hook is registered. An
      // orderly exit would still cost every run ~7 ms (hooks, waiting for the JIT to stop).
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(code);
    }
    System.exit(code);
  }
}
