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
    System.exit(NsrootCommand.execute(args));
  }
}
