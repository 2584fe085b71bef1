package org.nsroot.cli.progress;

import org.nsroot.cli.Console;
import org.nsroot.fetch.pull.PullListener;
import org.nsroot.rootfs.BuildListener;

/** A progress display of a pull and its flattening, that can be told the pull is over. */
public interface PullProgress extends PullListener, BuildListener, AutoCloseable {
  /** Stops drawing; the display is complete. */
  @Override
  void close();

  /**
   * The display for this console: live lines on a terminal, a line per layer in logs, nothing
   * with {@code --quiet}.
   */
  static PullProgress forConsole(Console console, boolean quiet) {
    if (quiet) {
      return new PullProgress() {
        @Override
        public void warning(String message) {
          console.err().println("nsroot: warning: " + message);
        }

        @Override
        public void close() {}
      };
    }
    return console.errIsTerminal() ? new TerminalProgress(console.err()) : new LineProgress(console.err());
  }
}
