package org.nsroot.cli.commands;

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
    OutputFile.write(output, out -> writer.write(i, out));
    return 0;
  }
}
