package org.nsroot.fetch.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes small tar layers for tests. */
public final class TarBuilder {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  public TarBuilder() {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  public TarBuilder dir(String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    e.setMode(040755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  public TarBuilder file(String name, String content) throws IOException {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  public TarBuilder file(String name, byte[] content, int mode) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    e.setMode(0100000 | mode);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
    return this;
  }

  public TarBuilder symlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  public byte[] build() throws IOException {
    tar.finish();
    tar.close();
    return bytes.toByteArray();
  }
}
