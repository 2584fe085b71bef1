package org.nsroot.cli;

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
    System.out.flush();
    System.err.flush();
    // Not System.exit: from JDK 21 on it first sets up the platform's logging, to log the exit
    // (~10 ms of every command), then runs shutdown hooks. nsroot registers none, the libraries it
    // uses only mark for deletion on exit files they delete themselves, and every command has
    // closed or synced what it wrote by now; for a run the launcher then becomes the helper.
    // NSROOT_DEBUG=1 exits in order, for tools that report at exit (a flight recording, say).
    if (!"1".equals(System.getenv("NSROOT_DEBUG"))) {
      Runtime.getRuntime().halt(code);
    }
    System.exit(code);
  }
}
