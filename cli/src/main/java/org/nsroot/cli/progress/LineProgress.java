package org.nsroot.cli.progress;

import java.io.PrintStream;
import java.time.Instant;
import org.nsroot.cli.format.Sizes;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.ImageManifest;

/** For logs, CI and batch jobs: one line per layer, when it is done. */
final class LineProgress implements PullProgress {
  private final PrintStream err;
  private final LayerTally tally = new LayerTally();

  LineProgress(PrintStream err) {
    this.err = err;
  }

  @Override
  public void resolved(String reference, ImageManifest manifest, ImageConfig config) {
    tally.total = manifest.layers().size();
  }

  @Override
  public void layerQueued(Descriptor layer, boolean cached) {
    tally.add(layer).started = Instant.now();
  }

  @Override
  public void layerWaiting(Descriptor layer) {
    err.println(prefix(tally.add(layer)) + ": waiting for another nsroot that is downloading it");
  }

  @Override
  public void layerDone(Descriptor layer, boolean downloaded) {
    LayerTally.Layer l = tally.add(layer);
    if (downloaded) {
      Instant now = Instant.now();
      err.println(prefix(l) + ": downloaded " + Sizes.bytes(layer.size()) + " in "
          + Sizes.seconds(l.elapsed(now)) + " (" + Sizes.rate(layer.size(), l.elapsed(now)) + ")");
    } else {
      err.println(prefix(l) + ": already in the store (" + Sizes.bytes(layer.size()) + ")");
    }
  }

  @Override
  public void layerApplied(org.nsroot.rootfs.LayerStats stats) {
    err.println(stats.summary());
  }

  @Override
  public void warning(String message) {
    err.println("nsroot: warning: " + message);
  }

  private String prefix(LayerTally.Layer l) {
    return "layer " + l.number + "/" + Math.max(tally.total, l.number) + " " + l.descriptor.digest().shortHex();
  }

  @Override
  public void close() {}
}
