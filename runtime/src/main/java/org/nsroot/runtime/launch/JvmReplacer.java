package org.nsroot.runtime.launch;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.nsroot.runtime.helper.HelperBinary;
import org.nsroot.runtime.helper.HelperCommandLine;
import org.nsroot.runtime.helper.HelperInvocation;
import org.nsroot.runtime.helper.HelperTamperedException;

/**
 * Replaces the running JVM with the helper (execve), for programs started without the {@code
 * nsroot} launcher (which uses {@link ExecPlan} instead): no JVM lingers through a long run, the
 * shell's signals and the exit status are the helper's, and the process id stays the one the
 * shell knows. The kernel ends the JVM's other threads; the helper closes every inherited file
 * descriptor above 2 and resets signal dispositions, so whatever the JVM held stays out.
 */
public final class JvmReplacer {
  private JvmReplacer() {}

  /**
   * Executes {@code invocation} of the helper in place of this JVM. Returns only by throwing.
   *
   * @param helper the helper, verified now
   * @param invocation from {@link HelperCommandLine}
   * @throws HelperTamperedException if the helper on disk changed
   * @throws LaunchException if execve failed (the JVM is still running then)
   */
  public static void exec(HelperBinary helper, HelperInvocation invocation)
      throws HelperTamperedException, LaunchException {
    helper.verify();
    // getPOSIX() would silently fall back to a pure-Java stand-in that cannot execve.
    POSIX posix = POSIXFactory.getNativePOSIX();
    if (!posix.isNative()) {
      throw new LaunchException("jnr-posix has no native backend here; cannot replace the JVM");
    }
    execve(posix, invocation.argv().toArray(new String[0]), invocation.envp());
  }

  private static void execve(POSIX posix, String[] argv, String[] envp) throws LaunchException {
    System.out.flush();
    System.err.flush();
    posix.execve(argv[0], argv, envp);
    int errno = posix.errno();
    throw new LaunchException("execve " + argv[0] + " failed: errno " + errno);
  }
}
