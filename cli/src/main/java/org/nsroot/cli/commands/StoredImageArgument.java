package org.nsroot.cli.commands;

import org.nsroot.cli.Console;
import org.nsroot.fetch.reference.InvalidReferenceException;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoreException;
import org.nsroot.fetch.store.StoredImage;
import picocli.CommandLine.Parameters;

/** The IMAGE argument of the commands that work on one stored image: inspect, rootfs, save, export. */
final class StoredImageArgument {
  @Parameters(index = "0", paramLabel = "IMAGE", description = "A stored image: name, short name or digest prefix.")
  String name;

  /** An image and the store it is in. */
  record Found(Store store, StoredImage image) {}

  /** Opens the user's store and finds the image named; a clear error if it is not there. */
  Found find(Console console) throws StoreException, InvalidReferenceException {
    Store store = CommandSupport.openStore(console);
    return new Found(store, CommandSupport.stored(store, name));
  }
}
