package org.nsroot.fetch.pull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.store.BlobWriter;
import org.nsroot.fetch.store.Store;

/**
 * Where one layer's bytes are while a pull runs: being downloaded by this process (then readers
 * follow the download), in the store, or failed. Lets a consumer stream a layer as it arrives.
 */
final class LayerState {
  private final Digest digest;
  private BlobWriter writer;
  private boolean stored;
  private FetchException failure;

  LayerState(Digest digest) {
    this.digest = digest;
  }

  synchronized void downloading(BlobWriter w) {
    writer = w;
    notifyAll();
  }

  synchronized void stored() {
    stored = true;
    notifyAll();
  }

  synchronized void failed(FetchException e) {
    failure = e;
    notifyAll();
  }

  /** The layer's compressed bytes: followed while downloading, else read from the store. */
  InputStream open(Store store) throws IOException {
    BlobWriter following;
    synchronized (this) {
      while (writer == null && !stored && failure == null) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for layer " + digest);
        }
      }
      if (failure != null) {
        throw new IOException(failure.getMessage(), failure);
      }
      following = stored ? null : writer;
    }
    return following != null ? following.follow() : store.openVerified(digest);
  }
}
