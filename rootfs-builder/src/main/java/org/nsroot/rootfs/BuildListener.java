package org.nsroot.rootfs;

/** Progress of a build: one summary per applied layer, and warnings (one for all devices). */
public interface BuildListener {
  /** Does nothing. */
  BuildListener NONE = new BuildListener() {};

  /** Called once per layer after it applied and verified, with its one-line summary. */
  default void layerApplied(LayerStats stats) {}

  /** A warning: skipped entries (empty names, devices, xattrs), replaced mount points. */
  default void warning(String message) {}
}
