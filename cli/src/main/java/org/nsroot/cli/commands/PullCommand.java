package org.nsroot.cli.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.cli.format.Sizes;
import org.nsroot.cli.progress.PullProgress;
import org.nsroot.fetch.pull.ImagePuller;
import org.nsroot.fetch.pull.PullOptions;
import org.nsroot.fetch.pull.PulledImage;
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
        "",
        "IMAGE is [REGISTRY/]REPOSITORY[:TAG][@DIGEST], as docker reads it: 'comet' means "
            + "docker.io/library/comet:latest."})
public final class PullCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to pull.")
  String image;

  @Mixin RegistryOptions registry = new RegistryOptions();

  @Option(names = {"-q", "--quiet"}, description = "Print only the image digest.")
  boolean quiet;

  @Option(names = "--jobs", paramLabel = "N", description = "Layers downloaded at once (default: ${DEFAULT-VALUE}).")
  int jobs = PullOptions.DEFAULT_JOBS;

  @Option(names = "--no-rootfs",
      description = "Only fetch and verify the blobs; the rootfs is built on first use (no network then).")
  boolean noRootfs;

  @Override
  public Integer call() throws Exception {
    return pull(Console.system());
  }

  int pull(Console console) throws Exception {
    ImageReference ref = ImageReference.parse(image);
    Store store = CommandSupport.openStore(console);
    Instant start = Instant.now();
    PulledImage image;
    Path rootfs = null;
    try (PullProgress progress = PullProgress.forConsole(console, quiet)) {
      if (noRootfs) {
        image = new ImagePuller(store).pull(ref, registry.pullOptions(console, jobs), progress);
      } else {
        ImageRootfs.Pulled pulled = new ImageRootfs(store).pull(ref, registry.pullOptions(console, jobs), progress, progress);
        image = pulled.image();
        rootfs = pulled.rootfs();
      }
    }
    if (quiet) {
      console.out().println(image.record().manifest().digest());
      return 0;
    }
    Duration took = Duration.between(start, Instant.now());
    long bytes = image.bytesDownloaded();
    // With a rootfs the time is mostly extraction (file creation on the host's disk), so a rate of
    // bytes over it would blame the network; the per-layer lines time the downloads themselves.
    String what = bytes == 0 ? "up to date"
        : rootfs != null ? "downloaded " + Sizes.bytes(bytes) + " and built its rootfs in " + Sizes.seconds(took)
        : "downloaded " + Sizes.bytes(bytes) + " in " + Sizes.seconds(took) + " (" + Sizes.rate(bytes, took) + ")";
    console.out().println(image.record().reference() + ": " + what + ", " + image.manifest().layers().size()
        + " layers, " + Sizes.bytes(image.manifest().contentSize()) + ", digest " + image.record().manifest().digest());
    if (rootfs != null) {
      console.out().println("rootfs: " + rootfs);
    }
    return 0;
  }
}
