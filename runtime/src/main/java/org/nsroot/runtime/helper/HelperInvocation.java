package org.nsroot.runtime.helper;

import java.util.List;
import java.util.Map;

/**
 * How to start the helper for one run: its argument vector (argv[0] is the helper's path) and its
 * whole environment. The command's environment values travel in the helper's environment, named
 * by {@code -e KEY} in argv, so that secrets never appear in {@code ps} or /proc/PID/cmdline.
 *
 * @param argv the helper's arguments, argv[0] first
 * @param environment the helper's environment (nothing else may be added: it all reaches the command
 *     only if named by {@code -e})
 */
public record HelperInvocation(List<String> argv, Map<String, String> environment) {
  public HelperInvocation {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
  }

  /** The environment as {@code KEY=VALUE} strings, for execve. */
  public String[] envp() {
    String[] out = new String[environment.size()];
    int i = 0;
    for (Map.Entry<String, String> e : environment.entrySet()) {
      out[i++] = e.getKey() + "=" + e.getValue();
    }
    return out;
  }
}
