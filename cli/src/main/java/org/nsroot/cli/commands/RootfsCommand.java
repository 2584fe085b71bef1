package org.nsroot.cli.commands;

import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.rootfs.image.ImageRootfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nsroot rootfs IMAGE}: the path of its flattened rootfs, for scripts. */
@Command(name = "rootfs", mixinStandardHelpOptions = true,
    description = {"Print the path of a stored image's flattened rootfs.",
        "",
        "It is built now from the store if it is missing (no network). Runs never change it."})
public final class RootfsCommand implements Callable<Integer> {
  @Mixin StoredImageArgument image = new StoredImageArgument();

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    StoredImageArgument.Found found = image.find(console);
    console.out().println(CommandSupport.rootfs(console, new ImageRootfs(found.store()), found.image(), true));
    return 0;
  }
}
