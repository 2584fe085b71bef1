package org.nsroot.cli.commands;

import java.nio.file.Path;
import java.util.Optional;
import org.nsroot.cli.Console;
import org.nsroot.cli.progress.PullProgress;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.store.NotInStoreException;
import org.nsroot.fetch.store.LocalImages;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoreException;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.fetch.reference.InvalidReferenceException;
import org.nsroot.rootfs.RootfsException;
import org.nsroot.rootfs.image.ImageRootfs;

/** What commands do first: find the store, find an image in it, make sure its rootfs is built. */
final class CommandSupport {
  private CommandSupport() {}

  static Store openStore(Console console) throws StoreException {
    return Store.open(Store.defaultRoot(console.env()));
  }

  static StoredImage stored(Store store, String name) throws StoreException, InvalidReferenceException {
    return LocalImages.find(store, name).orElseThrow(() -> new NotInStoreException(
        "no image '" + name + "' in the store " + store.root() + " (see nsroot images; nsroot pull " + name + ")"));
  }

  /** The image's rootfs, built now from the store (with progress, unless quiet) if it is missing. */
  static Path rootfs(Console console, ImageRootfs rootfs, StoredImage image, boolean quiet)
      throws FetchException, RootfsException {
    Optional<Path> built = rootfs.built(image);
    if (built.isPresent()) {
      return built.get(); // the common case, on every run: no progress display to set up
    }
    try (PullProgress progress = PullProgress.forConsole(console, quiet)) {
      return rootfs.ensure(image, progress);
    }
  }
}
