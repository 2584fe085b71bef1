package org.nsroot.fetch.pull;

import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.ImageManifest;
import org.nsroot.fetch.store.StoredImage;

/** A pulled image: its store record and parsed manifest and config. */
public record PulledImage(StoredImage record, ImageManifest manifest, ImageConfig config, long bytesDownloaded) {}
