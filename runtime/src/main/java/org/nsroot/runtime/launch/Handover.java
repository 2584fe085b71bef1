package org.nsroot.runtime.launch;

import org.nsroot.runtime.helper.HelperBinary;
import org.nsroot.runtime.helper.HelperInvocation;
import org.nsroot.runtime.helper.HelperTamperedException;

/**
 * Hands this process over to the helper: as a plan for the {@code nsroot} launcher when it waits
 * for one ({@link ExecPlan}), else by replacing the JVM ({@link JvmReplacer}). Either way no JVM
 * lingers through the run.
 */
public final class Handover {
  private Handover() {}

  /**
   * Starts {@code invocation} of the helper in this process's place. Returns only when a plan was
   * written; the caller then exits with 0, and the launcher executes the plan.
   */
  public static void to(HelperBinary helper, HelperInvocation invocation) throws HelperTamperedException, LaunchException {
    if (ExecPlan.requested()) {
      ExecPlan.write(helper, invocation);
      return;
    }
    JvmReplacer.exec(helper, invocation);
    throw new LaunchException("execve of " + invocation.argv().get(0) + " returned"); // it cannot
  }
}
