package org.nsroot.runtime.launch;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.nsroot.runtime.helper.HelperBinary;
import org.nsroot.runtime.helper.HelperCommandLine;
import org.nsroot.runtime.helper.HelperInvocation;
import org.nsroot.runtime.helper.HelperTamperedException;
import org.nsroot.runtime.spec.RunSpec;

/**
 * Replaces the running JVM with the helper (execve), for the CLI: no JVM lingers through a long
 * run, the shell's signals and the exit status are the helper's, and the process id stays the one
 * the shell knows. The kernel ends the JVM's other threads; the helper closes every inherited file
 * descriptor above 2 and resets signal dispositions, so whatever the JVM held stays out.
 */
public final class JvmReplacer {
  private JvmReplacer() {}

  /**
   * Executes the helper in place of this JVM. Returns only by throwing.
   *
   * @param helper the helper, verified now
   * @param spec the run
   * @throws HelperTamperedException if the helper on disk changed
   * @throws LaunchException if execve failed (the JVM is still running then)
   */
  public static void exec(HelperBinary helper, RunSpec spec) throws HelperTamperedException, LaunchException {
    helper.verify();
    HelperInvocation inv = HelperCommandLine.of(helper, spec);
    // getPOSIX() would silently fall back to a pure-Java stand-in that cannot execve.
    POSIX posix = POSIXFactory.getNativePOSIX();
    if (!posix.isNative()) {
      throw new LaunchException("jnr-posix has no native backend here; cannot replace the JVM");
    }
    System.out.flush();
    System.err.flush();
    String[] argv = inv.argv().toArray(new String[0]);
    posix.execve(argv[0], argv, inv.envp());
    int errno = posix.errno();
    throw new LaunchException("execve " + argv[0] + " failed: errno " + errno);
  }
}
