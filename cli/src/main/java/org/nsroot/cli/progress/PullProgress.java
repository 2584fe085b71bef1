package org.nsroot.cli.progress;

import org.nsroot.cli.Console;
import org.nsroot.fetch.pull.PullListener;

/** A progress display that can be told the pull is over. */
public interface PullProgress extends PullListener, AutoCloseable {
  /** Stops drawing; the display is complete. */
  @Override
  void close();

  /**
   * The display for this console: live lines on a terminal, a line per layer in logs, nothing
   * with {@code --quiet}.
   */
  static PullProgress forConsole(Console console, boolean quiet) {
    if (quiet) {
      return () -> {};
    }
    return console.errIsTerminal() ? new TerminalProgress(console.err()) : new LineProgress(console.err());
  }
}
