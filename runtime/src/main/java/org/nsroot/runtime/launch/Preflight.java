package org.nsroot.runtime.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nsroot.runtime.helper.HelperBinary;
import org.nsroot.runtime.helper.HelperTamperedException;

/**
 * Checks that this host lets the user make user namespaces, before anything else is done, so a
 * disabled host gets one clear message (naming the sysctl or AppArmor setting and the fix) rather
 * than a failure half-way through a pull.
 */
public final class Preflight {
  private Preflight() {}

  /**
   * Runs {@code nsroot-exec --check}: it creates a user and mount namespace, maps the user and
   * mounts a tmpfs, which is what every run needs.
   *
   * @param helper the helper, verified now
   * @throws UserNamespacesUnavailableException with the helper's one-line diagnosis
   * @throws HelperTamperedException if the helper on disk changed
   * @throws LaunchException if the helper cannot be started at all
   */
  public static void check(HelperBinary helper)
      throws UserNamespacesUnavailableException, HelperTamperedException, LaunchException {
    check(helper, List.of());
  }

  /**
   * As {@link #check(HelperBinary)}, with a command prefix (for instance {@code setpriv} to check
   * for another user, or {@code unshare} to test a restricted namespace).
   *
   * @param helper the helper, verified now
   * @param prefix words put before the helper's path
   * @throws UserNamespacesUnavailableException with the helper's one-line diagnosis
   * @throws HelperTamperedException if the helper on disk changed
   * @throws LaunchException if the helper cannot be started at all
   */
  public static void check(HelperBinary helper, List<String> prefix)
      throws UserNamespacesUnavailableException, HelperTamperedException, LaunchException {
    helper.verify();
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(helper.path().toString());
    cmd.add("--check");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    String out;
    int status;
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      out = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new LaunchException("nsroot-exec --check did not finish");
      }
      status = p.exitValue();
    } catch (IOException e) {
      throw new LaunchException("cannot run " + helper.path() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LaunchException("interrupted while checking user namespaces", e);
    }
    if (status != 0) {
      String line = out.lines().filter(l -> l.startsWith("nsroot-exec: ")).reduce((a, b) -> b)
          .map(l -> l.substring("nsroot-exec: ".length())).orElse("user namespaces do not work here: " + out);
      throw new UserNamespacesUnavailableException(line);
    }
  }
}
