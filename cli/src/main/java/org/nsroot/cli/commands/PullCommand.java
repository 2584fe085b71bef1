package org.nsroot.cli.commands;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.cli.format.Sizes;
import org.nsroot.cli.progress.PullProgress;
import org.nsroot.fetch.pull.ImagePuller;
import org.nsroot.fetch.pull.PulledImage;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nsroot pull IMAGE}. */
@Command(name = "pull", mixinStandardHelpOptions = true,
    description = {"Fetch an image from its registry into the local store, verifying every byte.",
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
    PulledImage pulled;
    try (PullProgress progress = PullProgress.forConsole(console, quiet)) {
      pulled = new ImagePuller(store).pull(ref, registry.pullOptions(console, jobs), progress);
    }
    if (quiet) {
      console.out().println(pulled.record().manifest().digest());
    } else {
      Duration took = Duration.between(start, Instant.now());
      String what = pulled.bytesDownloaded() == 0 ? "up to date"
          : "downloaded " + Sizes.bytes(pulled.bytesDownloaded()) + " in " + Sizes.seconds(took)
              + " (" + Sizes.rate(pulled.bytesDownloaded(), took) + ")";
      console.out().println(pulled.record().reference() + ": " + what + ", " + pulled.manifest().layers().size()
          + " layers, " + Sizes.bytes(pulled.manifest().contentSize()) + ", digest " + pulled.record().manifest().digest());
    }
    return 0;
  }
}
