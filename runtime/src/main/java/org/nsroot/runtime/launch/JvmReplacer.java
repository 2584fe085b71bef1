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
    execve(posix, inv.argv().toArray(new String[0]), inv.envp());
  }

  /**
   * Executes the helper with a command line the user wrote ({@code nsroot chroot}), in place of
   * this JVM. The helper gives the command no environment beyond its {@code -e} options; it sees
   * the caller's environment only so that {@code -e KEY} can copy a value, and never the variables
   * that would tune its own libc.
   *
   * @param helper the helper, verified now
   * @param args the helper's arguments, after its name
   */
  public static void execArguments(HelperBinary helper, java.util.List<String> args)
      throws HelperTamperedException, LaunchException {
    helper.verify();
    POSIX posix = POSIXFactory.getNativePOSIX();
    if (!posix.isNative()) {
      throw new LaunchException("jnr-posix has no native backend here; cannot replace the JVM");
    }
    String[] argv = new String[args.size() + 1];
    argv[0] = helper.path().toString();
    for (int i = 0; i < args.size(); i++) {
      argv[i + 1] = args.get(i);
    }
    execve(posix, argv, helperEnvironment());
  }

  /** The caller's environment without the variables that would tune the helper's own libc. */
  public static String[] helperEnvironment() {
    return System.getenv().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("LD_") && !e.getKey().startsWith("GLIBC_")
            && !e.getKey().startsWith("MALLOC_"))
        .map(e -> e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  private static void execve(POSIX posix, String[] argv, String[] envp) throws LaunchException {
    System.out.flush();
    System.err.flush();
    posix.execve(argv[0], argv, envp);
    int errno = posix.errno();
    throw new LaunchException("execve " + argv[0] + " failed: errno " + errno);
  }
}
