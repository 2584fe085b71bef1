package org.nsroot.cli.commands;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.cli.UsageException;
import org.nsroot.fetch.archive.ImageImporter;
import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nsroot import FILE|DIR|- [--name NAME]}. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import an image from a file or directory.",
        "",
        "For machines that never see a registry: a 'docker save' tarball, a plain rootfs tarball as "
            + "'docker export' writes it (one layer, default config), an OCI layout directory or an OCI "
            + "archive ('nsroot save' writes one). Compressed tarballs (gzip, zstd) are read too. "
            + "Everything is verified as in a pull."})
public final class ImportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE|DIR|-", description = "What to import; - reads standard input.")
  String source;

  @Option(names = "--name", paramLabel = "IMAGE",
      description = "Store the image under this name (default: the names in the archive; for a rootfs "
          + "tarball localhost/imported/FILENAME:latest).")
  String name;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Platform to choose from a multi-platform layout, and to record for a rootfs tarball.")
  String platform;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    Store store = CommandSupport.openStore(console);
    Platform p;
    try {
      p = platform == null ? Platform.current() : Platform.parse(platform);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    boolean stdin = source.equals("-");
    List<StoredImage> imported = new ImageImporter(store, p)
        .importFrom(stdin ? null : Path.of(source), System.in, name);
    for (StoredImage i : imported) {
      console.out().println("Imported " + i.reference() + " (" + i.manifest().digest() + ")");
    }
    return 0;
  }
}
