package org.nsroot.rootfs.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nsroot.rootfs.BuildListener;
import org.nsroot.rootfs.BuildReport;
import org.nsroot.rootfs.LayerSource;
import org.nsroot.rootfs.LayerStats;
import org.nsroot.rootfs.RootfsBuilder;
import org.nsroot.rootfs.RootfsException;

/** Builds tars as layers "layer i/n" and records the listener's output. */
public final class Build implements BuildListener {
  public final List<String> warnings = new ArrayList<>();
  public final List<String> summaries = new ArrayList<>();
  public BuildReport report;

  @Override
  public void layerApplied(LayerStats stats) {
    summaries.add(stats.summary());
  }

  @Override
  public void warning(String message) {
    warnings.add(message);
  }

  public static List<LayerSource> layers(byte[]... tars) {
    List<LayerSource> l = new ArrayList<>();
    for (int i = 0; i < tars.length; i++) {
      l.add(Layers.of("layer " + (i + 1) + "/" + tars.length, tars[i]));
    }
    return l;
  }

  public Build run(RootfsBuilder b, Path work, Path dest, byte[]... tars) throws RootfsException {
    report = b.build(layers(tars), work, dest, this);
    return this;
  }

  public static Build of(Path work, Path dest, byte[]... tars) throws RootfsException {
    return new Build().run(new RootfsBuilder(), work, dest, tars);
  }
}
