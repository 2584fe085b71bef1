package org.nsroot.cli.commands;

import org.nsroot.cli.Console;
import org.nsroot.fetch.store.NotInStoreException;
import org.nsroot.fetch.store.LocalImages;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoreException;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.fetch.reference.InvalidReferenceException;

/** What every command does first: find the store, find an image in it. */
final class CommandSupport {
  private CommandSupport() {}

  static Store openStore(Console console) throws StoreException {
    return Store.open(Store.defaultRoot(console.env()));
  }

  static StoredImage stored(Store store, String name) throws StoreException, InvalidReferenceException {
    return LocalImages.find(store, name).orElseThrow(() -> new NotInStoreException(
        "no image '" + name + "' in the store " + store.root() + " (see nsroot images; nsroot pull " + name + ")"));
  }
}
