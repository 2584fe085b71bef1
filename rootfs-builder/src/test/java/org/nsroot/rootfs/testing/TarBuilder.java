package org.nsroot.rootfs.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds a layer tar in memory with Commons Compress. Two flavours: {@link #posix()} (UTF-8 names,
 * PAX long names, as Go/BuildKit writes them) and {@link #gnuBytes()} (names are raw bytes given
 * as ISO-8859-1 strings, GNU long names, so any byte sequence survives).
 */
public final class TarBuilder {
  public static final long T0 = 1_600_000_000L;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream out;
  private long mtime = T0;

  private TarBuilder(String encoding, int longMode) {
    out = new TarArchiveOutputStream(bytes, encoding);
    out.setLongFileMode(longMode);
    out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    out.setAddPaxHeadersForNonAsciiNames(longMode == TarArchiveOutputStream.LONGFILE_POSIX);
  }

  public static TarBuilder posix() {
    return new TarBuilder("UTF-8", TarArchiveOutputStream.LONGFILE_POSIX);
  }

  public static TarBuilder gnuBytes() {
    return new TarBuilder("ISO-8859-1", TarArchiveOutputStream.LONGFILE_GNU);
  }

  /** A raw byte name as the ISO-8859-1 string that {@link #gnuBytes()} writes back as those bytes. */
  public static String raw(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** The UTF-8 bytes of {@code s} as an ISO-8859-1 string (for {@link #gnuBytes()} and snapshots). */
  public static String utf8(String s) {
    return raw(s.getBytes(StandardCharsets.UTF_8));
  }

  /** mtime (seconds) of the entries added from now on. */
  public TarBuilder mtime(long sec) {
    this.mtime = sec;
    return this;
  }

  private TarArchiveEntry entry(String name, byte flag) {
    TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
    e.setModTime(FileTime.from(Instant.ofEpochSecond(mtime)));
    e.setUserId(0);
    e.setGroupId(0);
    return e;
  }

  public TarBuilder dir(String name, int mode) {
    TarArchiveEntry e = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
    e.setMode(040000 | mode);
    return add(e, null);
  }

  public TarBuilder file(String name, String content, int mode) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  public TarBuilder file(String name, byte[] content, int mode) {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
    e.setMode(0100000 | mode);
    e.setSize(content.length);
    return add(e, content);
  }

  public TarBuilder file(String name, byte[] content, int mode, Map<String, String> pax) {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
    e.setMode(0100000 | mode);
    e.setSize(content.length);
    pax.forEach(e::addPaxHeader);
    return add(e, content);
  }

  public TarBuilder symlink(String name, String target) {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK);
    e.setMode(0120777);
    e.setLinkName(target);
    return add(e, null);
  }

  public TarBuilder hardlink(String name, String target) {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK);
    e.setMode(0100644);
    e.setLinkName(target);
    return add(e, null);
  }

  public TarBuilder fifo(String name, int mode) {
    TarArchiveEntry e = entry(name, TarConstants.LF_FIFO);
    e.setMode(010000 | mode);
    return add(e, null);
  }

  public TarBuilder device(String name, boolean block, int major, int minor) {
    TarArchiveEntry e = entry(name, block ? TarConstants.LF_BLK : TarConstants.LF_CHR);
    e.setMode(0666);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return add(e, null);
  }

  /** Any entry, configured by the caller (mode, pax headers, type). */
  public TarBuilder add(TarArchiveEntry e, byte[] content) {
    try {
      out.putArchiveEntry(e);
      if (content != null) {
        out.write(content);
      }
      out.closeArchiveEntry();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return this;
  }

  /** A new entry with this builder's mtime, for {@link #add}. */
  public TarArchiveEntry newEntry(String name, byte flag) {
    return entry(name, flag);
  }

  public byte[] build() {
    try {
      out.finish();
      out.close();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return bytes.toByteArray();
  }
}
