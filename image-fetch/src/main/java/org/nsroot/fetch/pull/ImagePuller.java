package org.nsroot.fetch.pull;

import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.store.Store;

/**
 * Pulls images into a store: {@code nsroot pull} as one call for library callers. Callers that
 * want to consume layers while they download use {@link #begin} and the session.
 */
public final class ImagePuller {
  private final Store store;
  private final RegistryClientFactory clients;

  public ImagePuller(Store store) {
    this(store, RegistryClientFactory.HTTP);
  }

  public ImagePuller(Store store, RegistryClientFactory clients) {
    this.store = store;
    this.clients = clients;
  }

  /** Pulls {@code ref} and records it in the store. */
  public PulledImage pull(ImageReference ref, PullOptions options, PullListener listener) throws FetchException {
    try (PullSession session = begin(ref, options, listener)) {
      return session.commit();
    }
  }

  /**
   * Resolves {@code ref} to a manifest and config (stored before this returns) and prepares the
   * layer downloads, without starting them.
   */
  public PullSession begin(ImageReference ref, PullOptions options, PullListener listener) throws FetchException {
    PullSession session = new PullSession(store, ref, options, listener, clients);
    try {
      session.resolve();
      return session;
    } catch (FetchException | RuntimeException e) {
      session.close();
      throw e;
    }
  }
}
