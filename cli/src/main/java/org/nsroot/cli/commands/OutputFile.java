package org.nsroot.cli.commands;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where {@code save} and {@code export} write: standard output for {@code -}, else a file that is
 * written beside its target and renamed, so a failed write never leaves a truncated archive.
 * Standard output is written through its descriptor, not System.out, whose PrintStream swallows
 * errors: a full disk behind {@code -o - > file} must fail the command, not leave a short tar.
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
      OutputStream out = new BufferedOutputStream(new Named(new FileOutputStream(FileDescriptor.out), "standard output"), 1 << 16);
      writer.write(out);
      out.flush();
      return;
    }
    Path target = Path.of(output).toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
    try {
      try (OutputStream out = new BufferedOutputStream(new Named(Files.newOutputStream(tmp), target.toString()), 1 << 16)) {
        writer.write(out);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Failures to write say where; failures of the writer's own reading keep their own words. */
  private static final class Named extends FilterOutputStream {
    private final String name;

    Named(OutputStream out, String name) {
      super(out);
      this.name = name;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw failed(e);
      }
    }

    private IOException failed(IOException e) {
      return new IOException("cannot write " + name + ": " + e.getMessage(), e);
    }
  }
}
