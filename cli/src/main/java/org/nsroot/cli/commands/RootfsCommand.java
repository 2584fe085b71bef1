package org.nsroot.cli.commands;

import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.rootfs.image.ImageRootfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nsroot rootfs IMAGE}: the path of its flattened rootfs, for scripts. */
@Command(name = "rootfs", mixinStandardHelpOptions = true,
    description = {"Print the path of a stored image's flattened rootfs.",
        "",
        "It is built now from the store if it is missing (no network). Runs never change it."})
public final class RootfsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IMAGE", description = "A stored image.")
  String image;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    Store store = CommandSupport.openStore(console);
    StoredImage i = CommandSupport.stored(store, image);
    console.out().println(CommandSupport.rootfs(console, new ImageRootfs(store), i, true));
    return 0;
  }
}
