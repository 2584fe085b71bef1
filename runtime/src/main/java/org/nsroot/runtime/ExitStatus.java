package org.nsroot.runtime;

/**
 * The exit statuses of a run, docker's convention: the command's own status, 128+N when signal N
 * killed it, and these four reserved values that the helper uses for its own outcomes.
 */
public final class ExitStatus {
  /** {@code --timeout} fired and the whole container was killed (as timeout(1) reports it). */
  public static final int TIMEOUT = 124;
  /** nsroot itself failed before the command started; the helper printed one line saying why. */
  public static final int NSROOT_FAILED = 125;
  /** The command exists in the image but cannot be executed (permissions, format). */
  public static final int CANNOT_EXECUTE = 126;
  /** The command is not in the image. */
  public static final int NOT_FOUND = 127;

  private ExitStatus() {}
}
