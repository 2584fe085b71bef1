package org.nsroot.cli.commands;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where {@code save} and {@code export} write: standard output for {@code -}, else a file that is
 * written beside its target and renamed, so a failed write never leaves a truncated archive.
 */
final class OutputFile {
  private OutputFile() {}

  /** What writes the archive. */
  @FunctionalInterface
  interface Writer {
    void write(OutputStream out) throws Exception;
  }

  static void write(String output, Writer writer) throws Exception {
    if (output.equals("-")) {
      OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
      writer.write(out);
      out.flush();
      return;
    }
    Path target = Path.of(output).toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        writer.write(out);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
