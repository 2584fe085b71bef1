package org.nsroot.cli.commands;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.cli.format.Sizes;
import org.nsroot.cli.progress.PullProgress;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.store.Store;
import org.nsroot.rootfs.image.ImageRootfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nsroot pull IMAGE}. */
@Command(name = "pull", mixinStandardHelpOptions = true,
    description = {"Fetch an image into the local store and flatten it into a rootfs.",
        "",
        "Every byte is verified; layers are flattened while they download.",
        "", "IMAGE is [REGISTRY/]REPOSITORY[:TAG][@DIGEST], as docker reads it: 'comet' means",
        "docker.io/library/comet:latest."})
public final class PullCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to pull.")
  String image;

  @Mixin RegistryOptions registry;

  @Option(names = {"-q", "--quiet"}, description = "Print only the image digest.")
  boolean quiet;

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "4", description = "Layers downloaded at once (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    ImageReference ref = ImageReference.parse(image);
    Store store = CommandSupport.openStore(console);
    Instant start = Instant.now();
    ImageRootfs.Pulled pulled;
    try (PullProgress progress = PullProgress.forConsole(console, quiet)) {
      pulled = new ImageRootfs(store).pull(ref, registry.pullOptions(console, jobs), progress, progress);
    }
    if (quiet) {
      console.out().println(pulled.image().record().manifest().digest());
      return 0;
    }
    Duration took = Duration.between(start, Instant.now());
    long bytes = pulled.image().bytesDownloaded();
    String what = bytes == 0 ? "up to date" : "downloaded " + Sizes.bytes(bytes) + " in " + Sizes.seconds(took)
        + " (" + Sizes.rate(bytes, took) + ")";
    console.out().println(pulled.image().record().reference() + ": " + what + ", "
        + pulled.image().manifest().layers().size() + " layers, " + Sizes.bytes(pulled.image().manifest().contentSize())
        + ", digest " + pulled.image().record().manifest().digest());
    console.out().println("rootfs: " + pulled.rootfs());
    return 0;
  }
}
