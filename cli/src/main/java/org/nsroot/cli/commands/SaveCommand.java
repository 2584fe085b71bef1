package org.nsroot.cli.commands;

import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.fetch.archive.OciArchiveWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nsroot save IMAGE -o image.tar}. */
@Command(name = "save", mixinStandardHelpOptions = true,
    description = {"Write a stored image as an OCI archive.",
        "",
        "'nsroot import' on another machine and 'skopeo copy oci-archive:FILE …' load it."})
public final class SaveCommand implements Callable<Integer> {
  @Mixin StoredImageArgument image = new StoredImageArgument();

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The archive to write; - for standard output.")
  String output;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    StoredImageArgument.Found found = image.find(console);
    OciArchiveWriter writer = new OciArchiveWriter(found.store());
    OutputFile.write(output, out -> writer.write(found.image(), out));
    return 0;
  }
}
