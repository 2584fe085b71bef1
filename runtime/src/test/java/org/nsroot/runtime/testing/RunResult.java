package org.nsroot.runtime.testing;

/** What a finished run printed and returned. */
public record RunResult(int exit, String stdout, String stderr) {
  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
  }
}
