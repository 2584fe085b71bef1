package org.nsroot.cli.progress;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.nsroot.cli.format.Sizes;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.ImageManifest;

/**
 * Live per-layer lines on a terminal, redrawn in place a few times a second.
 *
 * <p>Written here rather than taken from a progress-bar library: those draw one bar per thread
 * and need JLine to find the terminal, while a pull wants one line per layer, bytes of total and a
 * rate, and a start-up cost of nothing.
 */
final class TerminalProgress implements PullProgress {
  private static final long FRAME_MILLIS = 150;
  private final PrintStream err;
  private final LayerTally tally = new LayerTally();
  private final Thread painter;
  private int drawnLines;
  private volatile boolean running = true;

  TerminalProgress(PrintStream err) {
    this.err = err;
    painter = new Thread(this::paintLoop, "nsroot-progress");
    painter.setDaemon(true);
    painter.start();
  }

  @Override
  public void resolved(String reference, ImageManifest manifest, ImageConfig config) {
    synchronized (tally) {
      tally.total = manifest.layers().size();
    }
  }

  @Override
  public void layerQueued(Descriptor layer, boolean cached) {
    synchronized (tally) {
      LayerTally.Layer l = tally.add(layer);
      l.status = cached ? LayerTally.Status.CACHED : LayerTally.Status.QUEUED;
    }
  }

  @Override
  public void layerWaiting(Descriptor layer) {
    synchronized (tally) {
      tally.add(layer).status = LayerTally.Status.WAITING;
    }
  }

  @Override
  public void layerProgress(Descriptor layer, long bytes) {
    synchronized (tally) {
      LayerTally.Layer l = tally.add(layer);
      if (l.started == null) {
        l.started = Instant.now();
      }
      l.status = LayerTally.Status.DOWNLOADING;
      l.bytes += bytes;
    }
  }

  @Override
  public void layerDone(Descriptor layer, boolean downloaded) {
    synchronized (tally) {
      LayerTally.Layer l = tally.add(layer);
      l.status = downloaded ? LayerTally.Status.DONE : LayerTally.Status.CACHED;
      l.finished = Instant.now();
    }
  }

  private final List<String> warnings = new ArrayList<>();

  @Override
  public void layerApplied(org.nsroot.rootfs.LayerStats stats) {
    synchronized (tally) {
      LayerTally.Layer l = tally.byDescription(stats.layer());
      if (l != null) {
        l.applied = stats.files() + " files, " + stats.dirs() + " dirs, " + Sizes.bytes(stats.bytes()) + " extracted";
      }
    }
  }

  @Override
  public void warning(String message) {
    synchronized (tally) {
      warnings.add(message); // printed below the live lines when they stop
    }
  }

  private void paintLoop() {
    while (running) {
      paint();
      try {
        Thread.sleep(FRAME_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void paint() {
    List<String> lines = new ArrayList<>();
    Instant now = Instant.now();
    synchronized (tally) {
      for (LayerTally.Layer l : tally.layers.values()) {
        lines.add(line(l, now));
      }
    }
    StringBuilder frame = new StringBuilder();
    if (drawnLines > 0) {
      frame.append("\r\033[").append(drawnLines).append('A');
    }
    for (String line : lines) {
      frame.append("\r\033[2K").append(line).append('\n');
    }
    err.print(frame);
    err.flush();
    drawnLines = lines.size();
  }

  private String line(LayerTally.Layer l, Instant now) {
    String head = String.format("layer %d/%d %s  ", l.number, Math.max(tally.total, l.number),
        l.descriptor.digest().shortHex());
    long size = l.descriptor.size();
    return head + switch (l.status) {
      case QUEUED -> "waiting to download (" + Sizes.bytes(size) + ")";
      case WAITING -> "another nsroot is downloading it";
      case CACHED -> "already in the store (" + Sizes.bytes(size) + ")";
      case DOWNLOADING -> bar(l.bytes, size) + " " + Sizes.bytes(l.bytes) + " / " + Sizes.bytes(size) + "  "
          + Sizes.rate(l.bytes, l.elapsed(now));
      case DONE -> "downloaded " + Sizes.bytes(size) + " in " + Sizes.seconds(l.elapsed(now));
    } + (l.applied == null ? "" : "; " + l.applied);
  }

  private static String bar(long done, long total) {
    int width = 20;
    int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
    return "[" + "=".repeat(filled) + " ".repeat(width - filled) + "]";
  }

  @Override
  public void close() {
    running = false;
    painter.interrupt();
    try {
      painter.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    paint();
    synchronized (tally) {
      for (String w : warnings) {
        err.println("nsroot: warning: " + w);
      }
    }
  }
}
