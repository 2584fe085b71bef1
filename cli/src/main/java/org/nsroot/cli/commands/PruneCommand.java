package org.nsroot.cli.commands;

import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.cli.format.Sizes;
import org.nsroot.fetch.store.GarbageCollector;
import org.nsroot.fetch.store.Store;
import org.nsroot.rootfs.image.ImageRootfs;
import picocli.CommandLine.Command;

/** {@code nsroot prune}. */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = {"Delete what no stored image uses.",
        "",
        "Blobs and rootfs trees that no stored image references (a rootfs in use by a running "
            + "container is kept), and unfinished work in the store's tmp/. It waits for running pulls, "
            + "and they wait for it."})
public final class PruneCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    Store store = CommandSupport.openStore(console);
    int trees = new ImageRootfs(store).prune();
    GarbageCollector.Result freed = new GarbageCollector(store).collect(true);
    console.out().println("Freed " + Sizes.bytes(freed.bytes()) + " (" + freed.blobs() + " unreferenced blobs, "
        + trees + " unused rootfs trees)");
    return 0;
  }
}
