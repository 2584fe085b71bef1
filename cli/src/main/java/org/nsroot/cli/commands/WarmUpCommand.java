package org.nsroot.cli.commands;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.nsroot.cli.Console;
import org.nsroot.cli.NsrootCommand;
import org.nsroot.fetch.archive.ImageImporter;
import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.fetch.store.TreeDeleter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A training run for the class-data sharing archive the launcher builds (java
 * -XX:ArchiveClassesAtExit): it goes through what {@code nsroot run} of a stored image loads —
 * argument parsing, the store, image configs, planning the helper's command line — in a
 * throw-away store, without namespaces or network.
 */
@Command(name = "warm-up", hidden = true, description = "Load nsroot's classes once (used by the launcher's build).")
public final class WarmUpCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("nsroot-warm-up");
    try {
      NsrootCommand.commandLine(new String[] {"run"}).parseArgs("run", "--net", "none", "-e", "A=1", "image", "--", "true");
      Store store = Store.open(dir.resolve("store"));
      StoredImage image = new ImageImporter(store, Platform.current())
          .importFrom(null, new ByteArrayInputStream(tinyRootfs()), "localhost/warm/up:1").get(0);
      Files.createDirectories(store.rootfsDir(image).resolve("etc"));
      RunCommand run = new RunCommand();
      new CommandLine(run).parseArgs("--pull", "never", "-q", "up:1", "--", "/bin/true");
      run.plan(Console.system(), store);
      return 0;
    } finally {
      TreeDeleter.delete(dir);
    }
  }

  private static byte[] tinyRootfs() throws java.io.IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry e = new TarArchiveEntry("etc/");
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

}
