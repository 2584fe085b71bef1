package org.nsroot.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.rootfs.RootfsExporter;
import org.nsroot.rootfs.image.ImageRootfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nsroot export IMAGE -o rootfs.tar}. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write a stored image's flattened rootfs as a tar.",
        "",
        "'docker import' and 'nsroot import' load it."})
public final class ExportCommand implements Callable<Integer> {
  @Mixin StoredImageArgument image = new StoredImageArgument();

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The tar to write; - for standard output.")
  String output;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    StoredImageArgument.Found found = image.find(console);
    Path rootfs = CommandSupport.rootfs(console, new ImageRootfs(found.store()), found.image(), true);
    OutputFile.write(output, out -> RootfsExporter.export(rootfs, out));
    return 0;
  }
}
