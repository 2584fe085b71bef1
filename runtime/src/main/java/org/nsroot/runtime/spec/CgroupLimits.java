package org.nsroot.runtime.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * cgroup v2 limits. They need the helper's own cgroup to be writable and to have the controllers
 * enabled for its children (a cgroup can only have that without processes of its own, so in
 * practice: a cgroup prepared so by its manager); otherwise the helper refuses the run with one
 * line saying so, rather than silently running unlimited.
 *
 * @param memoryBytes memory.max, or 0 for none
 * @param cpus CPUs' worth of time (cpu.max), or 0 for none
 * @param pids pids.max, or 0 for none
 */
public record CgroupLimits(long memoryBytes, double cpus, long pids) {
  /** No cgroup limits. */
  public static final CgroupLimits NONE = new CgroupLimits(0, 0, 0);

  private static final long CPU_PERIOD_US = 100_000;

  public CgroupLimits {
    if (memoryBytes < 0 || cpus < 0 || pids < 0 || Double.isNaN(cpus)) {
      throw new IllegalArgumentException("negative cgroup limit");
    }
  }

  /** The cgroup interface files and values to write, as the helper's {@code --cgroup FILE=VALUE}. */
  public Map<String, String> files() {
    Map<String, String> m = new LinkedHashMap<>();
    if (memoryBytes > 0) {
      m.put("memory.max", Long.toString(memoryBytes));
    }
    if (cpus > 0) {
      long quota = Math.max(1000, Math.round(cpus * CPU_PERIOD_US));
      m.put("cpu.max", quota + " " + CPU_PERIOD_US);
    }
    if (pids > 0) {
      m.put("pids.max", Long.toString(pids));
    }
    return m;
  }
}
