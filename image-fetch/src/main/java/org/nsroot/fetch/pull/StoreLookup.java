package org.nsroot.fetch.pull;

import java.util.Optional;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoreException;
import org.nsroot.fetch.store.StoredImage;

/** Finds what the store holds for a reference. */
final class StoreLookup {
  private StoreLookup() {}

  /**
   * The stored image for {@code ref}: by its exact name when it has a tag, or by digest (of the
   * manifest or of the index it came from) when it is pinned.
   */
  static Optional<StoredImage> find(Store store, ImageReference ref) throws StoreException {
    Optional<Digest> pinned = ref.digest();
    if (pinned.isEmpty()) {
      return store.get(ref.toString());
    }
    String name = ref.name();
    return store.images().stream()
        .filter(i -> i.reference().startsWith(name + ":") || i.reference().startsWith(name + "@"))
        .filter(i -> i.manifest().digest().equals(pinned.get())
            || i.indexDigestIfAny().map(pinned.get()::equals).orElse(false))
        .findFirst();
  }
}
