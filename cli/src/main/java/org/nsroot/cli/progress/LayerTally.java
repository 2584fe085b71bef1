package org.nsroot.cli.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;

/** The state of each layer of a pull, in manifest order, for either display. */
final class LayerTally {
  enum Status { QUEUED, WAITING, DOWNLOADING, CACHED, DONE }

  static final class Layer {
    final Descriptor descriptor;
    final int number;
    Status status = Status.QUEUED;
    long bytes;
    Instant started;
    Instant finished;
    String applied;

    Layer(Descriptor descriptor, int number) {
      this.descriptor = descriptor;
      this.number = number;
    }

    Duration elapsed(Instant now) {
      return started == null ? Duration.ZERO : Duration.between(started, finished != null ? finished : now);
    }
  }

  final Map<Digest, Layer> layers = new LinkedHashMap<>();
  int total;

  synchronized Layer add(Descriptor d) {
    return layers.computeIfAbsent(d.digest(), k -> new Layer(d, layers.size() + 1));
  }

  synchronized Layer get(Descriptor d) {
    return layers.get(d.digest());
  }

  /** The layer a build summary ("layer 2/5 0123456789ab: …") is about. */
  synchronized Layer byDescription(String description) {
    for (Layer l : layers.values()) {
      if (description.contains(l.descriptor.digest().shortHex())) {
        return l;
      }
    }
    return null;
  }
}
