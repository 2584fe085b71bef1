package org.nsroot.rootfs.tar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes ustar members, with a PAX extended header whenever a name or link target does not fit
 * (over 100 bytes), a size or time does not fit the octal fields, or the mtime has nanoseconds.
 * PAX values are the raw name bytes (as Go's archive/tar writes them), so non-UTF-8 names
 * survive; ownership is written as 0/0 root, the user inside the container.
 */
public final class TarWriter {
  private static final int BLOCK = 512;
  private static final long MAX_OCTAL_11 = 077777777777L;

  private final OutputStream out;
  private final byte[] zeros = new byte[BLOCK];
  private long written;

  public TarWriter(OutputStream out) {
    this.out = out;
  }

  /**
   * Starts a member; for regular files write exactly {@code size} bytes with {@link #data} and call
   * {@link #endData}.
   */
  public void member(byte[] name, char type, int mode, long size, long mtimeSec, int mtimeNsec, byte[] link)
      throws IOException {
    ByteArrayOutputStream pax = new ByteArrayOutputStream();
    if (name.length > 100) {
      record(pax, "path", name);
    }
    if (link != null && link.length > 100) {
      record(pax, "linkpath", link);
    }
    if (size > MAX_OCTAL_11) {
      record(pax, "size", Long.toString(size).getBytes(StandardCharsets.US_ASCII));
    }
    if (mtimeSec < 0 || mtimeSec > MAX_OCTAL_11 || mtimeNsec != 0) {
      String t = mtimeNsec == 0 ? Long.toString(mtimeSec)
          : mtimeSec >= 0 ? mtimeSec + "." + String.format("%09d", mtimeNsec)
          : "-" + (-(mtimeSec + 1)) + "." + String.format("%09d", 1_000_000_000 - mtimeNsec);
      record(pax, "mtime", t.getBytes(StandardCharsets.US_ASCII));
    }
    if (pax.size() > 0) {
      byte[] p = pax.toByteArray();
      writeHeader("././@PaxHeader".getBytes(StandardCharsets.US_ASCII), 'x', 0644, p.length, 0, null);
      write(p, 0, p.length);
      endData();
    }
    writeHeader(name, type, mode, size, Math.max(0, Math.min(mtimeSec, MAX_OCTAL_11)), link);
  }

  public void data(byte[] b, int off, int len) throws IOException {
    write(b, off, len);
  }

  /** Pads the member's data to the block size. */
  public void endData() throws IOException {
    int r = (int) (written % BLOCK);
    if (r != 0) {
      write(zeros, 0, BLOCK - r);
    }
  }

  /** Writes the end-of-archive blocks and flushes. */
  public void finish() throws IOException {
    write(zeros, 0, BLOCK);
    write(zeros, 0, BLOCK);
    out.flush();
  }

  private void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    written += len;
  }

  private static void record(ByteArrayOutputStream pax, String key, byte[] value) {
    int base = key.length() + value.length + 3; // space, '=', newline
    int len = base + Integer.toString(base).length();
    if (Integer.toString(len).length() != Integer.toString(base).length()) {
      len = base + Integer.toString(len).length();
    }
    pax.writeBytes((len + " " + key + "=").getBytes(StandardCharsets.US_ASCII));
    pax.writeBytes(value);
    pax.write('\n');
  }

  private void writeHeader(byte[] name, char type, int mode, long size, long mtime, byte[] link)
      throws IOException {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    octal(h, 100, 8, mode & 07777);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size > MAX_OCTAL_11 ? 0 : size);
    octal(h, 136, 12, mtime);
    h[156] = (byte) type;
    if (link != null) {
      System.arraycopy(link, 0, h, 157, Math.min(100, link.length));
    }
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.ISO_8859_1), 0, h, 257, 8);
    System.arraycopy("root".getBytes(StandardCharsets.US_ASCII), 0, h, 265, 4);
    System.arraycopy("root".getBytes(StandardCharsets.US_ASCII), 0, h, 297, 4);
    octal(h, 329, 8, 0);
    octal(h, 337, 8, 0);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    String c = String.format("%06o", sum);
    System.arraycopy(c.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
    h[154] = 0;
    h[155] = ' ';
    write(h, 0, BLOCK);
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    int digits = len - 1;
    while (s.length() < digits) {
      s = "0" + s;
    }
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, digits);
    h[off + digits] = 0;
  }
}
