package org.nsroot.rootfs;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stops a build before it fills the disk: checks free space at each layer and every 64 MiB. The
 * margin kept free is the configured one, but at most a twentieth of the filesystem, so that a
 * small filesystem (a quota'd home, a test's tmpfs) still takes small images.
 */
final class DiskGuard {
  private static final long EVERY = 64L << 20;
  private final FileStore store;
  private final long minFree;
  private long sinceCheck;

  DiskGuard(Path dir, long minFree) throws IOException {
    this.store = Files.getFileStore(dir);
    long total = store.getTotalSpace();
    this.minFree = total > 0 ? Math.min(minFree, total / 20) : minFree;
  }

  void wrote(long n, String layer) throws DiskFullException {
    sinceCheck += n;
    if (sinceCheck >= EVERY) {
      sinceCheck = 0;
      check(layer);
    }
  }

  void check(String layer) throws DiskFullException {
    long free;
    try {
      free = store.getUsableSpace();
    } catch (IOException e) {
      return; // cannot tell: the write itself will report ENOSPC
    }
    if (free < minFree) {
      throw new DiskFullException(layer + ": the disk is nearly full (" + free + " bytes free; nsroot keeps "
          + minFree + " free); free some space (or run nsroot prune) and try again");
    }
  }
}
