package org.nsroot.rootfs;

import java.nio.file.Path;
import java.util.List;

/**
 * What a build did.
 *
 * @param rootfs the final directory
 * @param layers per-layer counts, in application order
 */
public record BuildReport(Path rootfs, List<LayerStats> layers) {
  public BuildReport {
    layers = List.copyOf(layers);
  }

  /** Device nodes skipped over all layers. */
  public long devicesSkipped() {
    return layers.stream().mapToLong(LayerStats::devicesSkipped).sum();
  }
}
