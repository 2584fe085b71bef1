package org.nsroot.fetch.pull;

import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.ImageManifest;

/** Hears how a pull goes, for progress displays. Called from download threads. */
public interface PullListener {
  PullListener SILENT = new PullListener() {};

  /** The image is known: manifest and config are in the store. */
  default void resolved(String reference, ImageManifest manifest, ImageConfig config) {}

  /** A layer is needed; {@code cached} when the store already has it. */
  default void layerQueued(Descriptor layer, boolean cached) {}

  /** Another process is downloading this layer; we wait for it instead of downloading it twice. */
  default void layerWaiting(Descriptor layer) {}

  /** {@code bytes} more bytes of the layer arrived. */
  default void layerProgress(Descriptor layer, long bytes) {}

  /** The layer is verified and in the store. */
  default void layerDone(Descriptor layer, boolean downloaded) {}
}
