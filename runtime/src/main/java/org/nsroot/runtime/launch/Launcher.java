package org.nsroot.runtime.launch;

import java.io.IOException;
import org.nsroot.runtime.helper.HelperBinary;
import org.nsroot.runtime.helper.HelperCommandLine;
import org.nsroot.runtime.helper.HelperInvocation;
import org.nsroot.runtime.helper.HelperTamperedException;
import org.nsroot.runtime.spec.RunSpec;

/**
 * Starts a run as a child process, for library callers (a workflow engine, a Spark task). The
 * returned {@link Process} is the helper's outer process: its exit value is the command's (see
 * {@link org.nsroot.runtime.ExitStatus}); {@link Process#destroy()} sends SIGTERM, which reaches
 * the command; {@link Process#destroyForcibly()} kills the helper, and the container dies with it.
 */
public final class Launcher {
  private Launcher() {}

  /**
   * A process builder for the run, for callers that want to set redirects first. Its environment
   * is exactly the helper's; do not add to it (anything added is not passed to the command, but
   * keeping it clean avoids surprises).
   *
   * @param helper the helper, verified now
   * @param spec the run
   * @return a builder whose command is the helper's invocation
   * @throws HelperTamperedException if the helper on disk changed
   */
  public static ProcessBuilder processBuilder(HelperBinary helper, RunSpec spec) throws HelperTamperedException {
    helper.verify();
    HelperInvocation inv = HelperCommandLine.of(helper, spec);
    ProcessBuilder pb = new ProcessBuilder(inv.argv());
    pb.environment().clear();
    pb.environment().putAll(inv.environment());
    return pb;
  }

  /**
   * Starts the run with stdin, stdout and stderr as pipes (ProcessBuilder's default).
   *
   * @param helper the helper, verified now
   * @param spec the run
   * @return the running helper
   * @throws HelperTamperedException if the helper on disk changed
   * @throws LaunchException if the process cannot be started
   */
  public static Process start(HelperBinary helper, RunSpec spec) throws HelperTamperedException, LaunchException {
    try {
      return processBuilder(helper, spec).start();
    } catch (IOException e) {
      throw new LaunchException("cannot start " + helper.path() + ": " + e.getMessage(), e);
    }
  }
}
