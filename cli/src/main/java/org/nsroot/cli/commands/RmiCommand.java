package org.nsroot.cli.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.cli.format.Sizes;
import org.nsroot.fetch.store.GarbageCollector;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.rootfs.image.ImageRootfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nsroot rmi IMAGE...}. */
@Command(name = "rmi", mixinStandardHelpOptions = true,
    description = {"Remove images from the local store.", "", "With their rootfs and the blobs no other image uses."})
public final class RmiCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Stored images: name, short name or digest prefix.")
  List<String> images;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    Store store = CommandSupport.openStore(console);
    List<String> references = new ArrayList<>();
    for (String name : images) {
      references.add(CommandSupport.stored(store, name).reference());
    }
    List<StoredImage> removed = store.forget(i -> references.contains(i.reference()));
    ImageRootfs rootfs = new ImageRootfs(store);
    List<StoredImage> kept = store.images();
    for (StoredImage i : removed) {
      boolean stillNamed = kept.stream().anyMatch(o -> o.manifest().digest().equals(i.manifest().digest()));
      String note = "";
      if (!stillNamed && !rootfs.remove(i.manifest().digest())) {
        note = "; its rootfs is in use by a running container: nsroot prune removes it once that has exited";
      }
      console.out().println("Removed " + i.reference() + " (" + i.manifest().digest().shortHex() + ")" + note);
    }
    GarbageCollector.Result freed = new GarbageCollector(store).collect(false);
    console.out().println("Freed " + Sizes.bytes(freed.bytes()) + " (" + freed.blobs() + " blobs)");
    return 0;
  }
}
