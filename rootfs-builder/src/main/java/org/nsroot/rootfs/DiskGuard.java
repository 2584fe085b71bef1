package org.nsroot.rootfs;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stops a build before it fills the disk: checks free space at each layer and every 64 MiB. */
final class DiskGuard {
  private static final long EVERY = 64L << 20;
  private final FileStore store;
  private final long minFree;
  private long sinceCheck;

  DiskGuard(Path dir, long minFree) throws IOException {
    this.store = Files.getFileStore(dir);
    this.minFree = minFree;
  }

  void wrote(long n, String layer) throws LimitExceededException {
    sinceCheck += n;
    if (sinceCheck >= EVERY) {
      sinceCheck = 0;
      check(layer);
    }
  }

  void check(String layer) throws LimitExceededException {
    long free;
    try {
      free = store.getUsableSpace();
    } catch (IOException e) {
      return; // cannot tell: the write itself will report ENOSPC
    }
    if (free < minFree) {
      throw new LimitExceededException(layer + ": limit exceeded: only " + free
          + " bytes free on the build's filesystem (minimum " + minFree + ")");
    }
  }
}
