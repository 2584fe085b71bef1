package org.nsroot.cli.commands;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.fetch.archive.OciArchiveWriter;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nsroot save IMAGE -o image.tar}. */
@Command(name = "save", mixinStandardHelpOptions = true,
    description = {"Write a stored image as an OCI archive.",
        "",
        "'nsroot import' on another machine and 'skopeo copy oci-archive:FILE …' load it."})
public final class SaveCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IMAGE", description = "A stored image.")
  String image;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The archive to write; - for standard output.")
  String output;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    Store store = CommandSupport.openStore(console);
    StoredImage i = CommandSupport.stored(store, image);
    OciArchiveWriter writer = new OciArchiveWriter(store);
    if (output.equals("-")) {
      OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
      writer.write(i, out);
      out.flush();
      return 0;
    }
    // Written beside the target and renamed, so a failed save never leaves a truncated archive.
    Path target = Path.of(output).toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        writer.write(i, out);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return 0;
  }
}
