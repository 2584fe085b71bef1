package org.nsroot.cli;

/** Entry point of the {@code nsroot} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(NsrootCommand.execute(args));
  }
}
