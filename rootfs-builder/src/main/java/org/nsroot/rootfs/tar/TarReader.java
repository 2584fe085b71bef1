package org.nsroot.rootfs.tar;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A streaming tar reader that keeps every name byte for byte. Commons Compress decodes PAX values
 * as UTF-8, which loses non-UTF-8 names (Go's archive/tar, and so Docker and BuildKit, write raw
 * bytes in PAX {@code path} records); this reader never decodes names at all.
 *
 * <p>Understands ustar (with prefix), GNU ({@code L}/{@code K} long names, old sparse {@code S}),
 * PAX local headers (path, linkpath, size, mtime, xattrs, GNU sparse 0.0/0.1/1.0), and ignores PAX
 * global headers. Checksums are verified; every header is bounded by {@code maxHeaderBytes}. Memory
 * does not grow with member size.
 */
public final class TarReader {
  private static final int BLOCK = 512;

  private final InputStream in;
  private final int maxHeaderBytes;
  private final int maxSparseRegions;
  private final byte[] header = new byte[BLOCK];
  private final byte[] skipBuf = new byte[8192];
  private long position;
  private long remaining; // data bytes of the current member still unread
  private long padding; // zero padding after the current member's data
  private boolean endMarker;
  private boolean finished;
  private int globalHeaders;

  public TarReader(InputStream in, int maxHeaderBytes, int maxSparseRegions) {
    this.in = in;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxSparseRegions = maxSparseRegions;
  }

  /** True when the archive ended with an end-of-archive (zero) block, not just end of stream. */
  public boolean sawEndMarker() {
    return endMarker;
  }

  /** Number of PAX global headers skipped. */
  public int globalHeaders() {
    return globalHeaders;
  }

  /**
   * The next member, or null at the end of the archive (check {@link #sawEndMarker()}). Unread data
   * of the previous member is skipped.
   */
  public TarEntry next() throws IOException {
    if (finished) {
      return null;
    }
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    byte[] longName = null;
    byte[] longLink = null;
    Pax pax = null;
    int metaBytes = 0;
    while (true) {
      long offset = position;
      int n = readBlock(header);
      if (n == 0) {
        finished = true; // end of stream without an end-of-archive block
        return null;
      }
      if (n < BLOCK) {
        throw new TarFormatException("unexpected EOF in tar header at offset " + offset);
      }
      if (isZero(header)) {
        finished = true;
        endMarker = true;
        return null;
      }
      verifyChecksum(offset);
      char flag = (char) (header[156] & 0xff);
      long size = number(124, 12, "size", offset);
      if (size < 0) {
        throw new TarFormatException("invalid tar header at offset " + offset + ": negative size");
      }
      switch (flag) {
        case 'x', 'X' -> {
          metaBytes += checkMeta(size, metaBytes, "PAX header", offset);
          byte[] data = readMeta((int) size);
          if (pax == null) {
            pax = new Pax();
          }
          pax.parse(data, offset);
          continue;
        }
        case 'g' -> {
          // Global headers carry defaults for all later members; no image tool honours them
          // (containerd ignores them), and honouring a global "path" would be dangerous.
          globalHeaders++;
          skip(size + pad(size));
          continue;
        }
        case 'L' -> {
          metaBytes += checkMeta(size, metaBytes, "GNU long name", offset);
          longName = cstring(readMeta((int) size));
          continue;
        }
        case 'K' -> {
          metaBytes += checkMeta(size, metaBytes, "GNU long link name", offset);
          longLink = cstring(readMeta((int) size));
          continue;
        }
        default -> {
          return member(offset, flag, size, longName, longLink, pax);
        }
      }
    }
  }

  private TarEntry member(long offset, char flag, long size, byte[] longName, byte[] longLink, Pax pax)
      throws IOException {
    TarEntry e = new TarEntry();
    e.offset = offset;
    boolean posix = header[257] == 'u' && Arrays.equals(Arrays.copyOfRange(header, 257, 265),
        "ustar\u000000".getBytes(StandardCharsets.ISO_8859_1));
    byte[] name = field(0, 100);
    if (posix && header[345] != 0) {
      byte[] prefix = field(345, 155);
      byte[] joined = new byte[prefix.length + 1 + name.length];
      System.arraycopy(prefix, 0, joined, 0, prefix.length);
      joined[prefix.length] = '/';
      System.arraycopy(name, 0, joined, prefix.length + 1, name.length);
      name = joined;
    }
    e.name = longName != null ? longName : name;
    e.linkName = longLink != null ? longLink : field(157, 100);
    e.mode = (int) (number(100, 8, "mode", offset) & 07777);
    try {
      e.mtimeSec = number(136, 12, "mtime", offset);
    } catch (TarFormatException bad) {
      e.badMtime = true; // lenient: a timestamp never aborts a layer (catalogue B5)
    }
    e.size = size;
    e.type = switch (flag) {
      case '0', '\0', '7' -> {
        // Old tars mark directories only by a trailing slash on a type-NUL member.
        int l = e.name.length;
        yield flag == '\0' && l > 0 && e.name[l - 1] == '/' ? TarEntry.Type.DIRECTORY : TarEntry.Type.REGULAR;
      }
      case 'S' -> TarEntry.Type.REGULAR;
      case '1' -> TarEntry.Type.HARDLINK;
      case '2' -> TarEntry.Type.SYMLINK;
      case '3' -> TarEntry.Type.CHAR_DEVICE;
      case '4' -> TarEntry.Type.BLOCK_DEVICE;
      case '5', 'D' -> TarEntry.Type.DIRECTORY;
      case '6' -> TarEntry.Type.FIFO;
      default -> throw new TarFormatException("unhandled tar header type " + describeFlag(flag)
          + " at offset " + offset);
    };
    if (e.type == TarEntry.Type.CHAR_DEVICE || e.type == TarEntry.Type.BLOCK_DEVICE) {
      e.devMajor = number(329, 8, "devmajor", offset);
      e.devMinor = number(337, 8, "devminor", offset);
    }
    if (pax != null) {
      pax.apply(e, offset);
    }
    if (e.devMajor < 0 || e.devMajor > 0xffffffffL || e.devMinor < 0 || e.devMinor > 0xffffffffL) {
      throw new TarFormatException("invalid archive: device number out of range at offset " + offset);
    }
    if (e.type == TarEntry.Type.DIRECTORY || e.type == TarEntry.Type.SYMLINK
        || e.type == TarEntry.Type.FIFO || e.type == TarEntry.Type.CHAR_DEVICE
        || e.type == TarEntry.Type.BLOCK_DEVICE) {
      // These members have no data whatever the size field says (GNU 'D' lists are skipped too).
      remaining = e.size;
      padding = pad(e.size);
      e.size = 0;
      e.realSize = 0;
      return e;
    }
    remaining = e.size;
    padding = pad(e.size);
    e.realSize = e.size;
    if (flag == 'S') {
      oldGnuSparse(e, offset);
    } else if (pax != null && pax.sparseMajor == 1) {
      pax1Sparse(e, pax, offset);
    } else if (pax != null && pax.sparseMap != null) {
      e.sparse = pax.sparseMap.stream().mapToLong(Long::longValue).toArray();
      e.realSize = pax.sparseRealSize;
    }
    if (e.sparse != null) {
      validateSparse(e, offset);
    }
    return e;
  }

  /** Reads data of the current member; -1 at its end. */
  public int read(byte[] b, int off, int len) throws IOException {
    if (remaining <= 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw new TarFormatException("unexpected EOF: truncated tar member data");
    }
    remaining -= n;
    position += n;
    return n;
  }

  private void oldGnuSparse(TarEntry e, long offset) throws IOException {
    List<Long> map = new ArrayList<>();
    readSparseEntries(header, 386, 4, map, offset);
    e.realSize = number(483, 12, "realsize", offset);
    boolean extended = header[482] != 0;
    byte[] ext = new byte[BLOCK];
    while (extended) {
      if (readBlock(ext) < BLOCK) {
        throw new TarFormatException("unexpected EOF in GNU sparse header at offset " + offset);
      }
      readSparseEntries(ext, 0, 21, map, offset);
      extended = ext[504] != 0;
    }
    e.sparse = map.stream().mapToLong(Long::longValue).toArray();
  }

  private void readSparseEntries(byte[] block, int start, int count, List<Long> map, long offset)
      throws IOException {
    for (int i = 0; i < count; i++) {
      int o = start + i * 24;
      if (block[o] == 0) {
        return;
      }
      map.add(parseNumber(block, o, 12, "sparse offset", offset));
      map.add(parseNumber(block, o + 12, 12, "sparse length", offset));
      if (map.size() / 2 > maxSparseRegions) {
        throw new TarLimitException("sparse map has more than " + maxSparseRegions + " regions");
      }
    }
  }

  private void pax1Sparse(TarEntry e, Pax pax, long offset) throws IOException {
    // GNU PAX 1.0: the map is at the start of the data, decimal numbers one per line, padded.
    long[] count = {0};
    long consumed = 0;
    long regions = readDecimalLine(count, offset);
    consumed += count[0];
    if (regions > maxSparseRegions || regions < 0) {
      throw new TarLimitException("sparse map has more than " + maxSparseRegions + " regions");
    }
    long[] map = new long[(int) regions * 2];
    for (int i = 0; i < map.length; i++) {
      map[i] = readDecimalLine(count, offset);
      consumed += count[0];
    }
    long mapPad = pad(consumed);
    byte[] skipTo = new byte[(int) mapPad];
    readFullyData(skipTo, (int) mapPad);
    e.sparse = map;
    e.size = remaining;
    e.realSize = pax.sparseRealSize;
  }

  private long readDecimalLine(long[] consumed, long offset) throws IOException {
    long v = 0;
    int digits = 0;
    byte[] one = new byte[1];
    while (true) {
      readFullyData(one, 1);
      digits++;
      if (one[0] == '\n') {
        break;
      }
      if (one[0] < '0' || one[0] > '9' || digits > 19) {
        throw new TarFormatException("invalid tar header at offset " + offset + ": bad sparse map");
      }
      v = v * 10 + (one[0] - '0');
    }
    consumed[0] = digits;
    return v;
  }

  private void readFullyData(byte[] b, int len) throws IOException {
    int off = 0;
    while (off < len) {
      int n = read(b, off, len - off);
      if (n < 0) {
        throw new TarFormatException("unexpected EOF in sparse map");
      }
      off += n;
    }
  }

  private void validateSparse(TarEntry e, long offset) throws IOException {
    long[] m = e.sparse;
    if (m.length / 2 > maxSparseRegions) {
      throw new TarLimitException("sparse map has more than " + maxSparseRegions + " regions");
    }
    long end = 0;
    long data = 0;
    for (int i = 0; i < m.length; i += 2) {
      if (m[i] < end || m[i + 1] < 0 || m[i] + m[i + 1] < m[i]) {
        throw new TarFormatException("invalid tar header at offset " + offset + ": bad sparse map");
      }
      end = m[i] + m[i + 1];
      data += m[i + 1];
    }
    if (end > e.realSize || data != e.size || e.realSize < 0) {
      throw new TarFormatException("invalid tar header at offset " + offset + ": sparse map does not match sizes");
    }
  }

  private int checkMeta(long size, int soFar, String what, long offset) throws IOException {
    if (size > maxHeaderBytes || soFar + size > maxHeaderBytes) {
      throw new TarLimitException(what + " of " + size + " bytes at offset " + offset
          + " exceeds the limit of " + maxHeaderBytes + " bytes");
    }
    return (int) size;
  }

  private byte[] readMeta(int size) throws IOException {
    byte[] data = new byte[size];
    int got = readFully(data, size);
    if (got < size) {
      throw new TarFormatException("unexpected EOF in tar extended header");
    }
    skip(pad(size));
    return data;
  }

  private static byte[] cstring(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        return Arrays.copyOf(b, i);
      }
    }
    return b;
  }

  private byte[] field(int off, int len) {
    int end = off;
    while (end < off + len && header[end] != 0) {
      end++;
    }
    return Arrays.copyOfRange(header, off, end);
  }

  private long number(int off, int len, String what, long offset) throws TarFormatException {
    return parseNumber(header, off, len, what, offset);
  }

  /** Octal (space/NUL padded) or GNU base-256 number. */
  static long parseNumber(byte[] b, int off, int len, String what, long offset)
      throws TarFormatException {
    if ((b[off] & 0x80) != 0) {
      boolean negative = (b[off] & 0x40) != 0;
      long v = negative ? -1 : 0;
      for (int i = 0; i < len; i++) {
        int c = b[off + i] & 0xff;
        if (i == 0) {
          c &= 0x7f;
          if (negative) {
            c |= 0x80;
          }
        }
        if (i < len - 8 && c != (negative ? 0xff : 0)) {
          throw new TarFormatException("invalid tar header at offset " + offset + ": " + what + " out of range");
        }
        v = (v << 8) | c;
      }
      return v;
    }
    int i = off;
    int end = off + len;
    while (i < end && (b[i] == ' ' || b[i] == 0)) {
      i++;
    }
    long v = 0;
    int digits = 0;
    while (i < end && b[i] >= '0' && b[i] <= '7') {
      v = (v << 3) | (b[i] - '0');
      digits++;
      i++;
    }
    while (i < end) {
      if (b[i] != ' ' && b[i] != 0) {
        throw new TarFormatException("invalid tar header at offset " + offset + ": bad " + what + " field");
      }
      i++;
    }
    if (digits > 21) {
      throw new TarFormatException("invalid tar header at offset " + offset + ": " + what + " out of range");
    }
    return v;
  }

  private void verifyChecksum(long offset) throws TarFormatException {
    long stored;
    try {
      stored = parseNumber(header, 148, 8, "checksum", offset);
    } catch (TarFormatException e) {
      throw new TarFormatException("invalid tar header at offset " + offset + ": bad checksum field");
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int c = (i >= 148 && i < 156) ? ' ' : header[i];
      unsigned += c & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : header[i];
    }
    if (stored != unsigned && stored != signed) {
      throw new TarFormatException("invalid tar header at offset " + offset + ": checksum mismatch");
    }
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static long pad(long size) {
    long r = size % BLOCK;
    return r == 0 ? 0 : BLOCK - r;
  }

  private int readBlock(byte[] b) throws IOException {
    return readFully(b, BLOCK);
  }

  private int readFully(byte[] b, int len) throws IOException {
    int off = 0;
    while (off < len) {
      int n = in.read(b, off, len - off);
      if (n < 0) {
        break;
      }
      off += n;
    }
    position += off;
    return off;
  }

  private void skip(long n) throws IOException {
    while (n > 0) {
      int r = in.read(skipBuf, 0, (int) Math.min(skipBuf.length, n));
      if (r < 0) {
        throw new TarFormatException("unexpected EOF: truncated tar member data");
      }
      n -= r;
      position += r;
    }
  }

  private static String describeFlag(char flag) {
    return flag >= 0x20 && flag < 0x7f ? "'" + flag + "'" : String.format("0x%02x", (int) flag);
  }

  /** Records of PAX extended headers, values kept as raw bytes. */
  private final class Pax {
    byte[] path;
    byte[] linkpath;
    byte[] sparseName;
    Long size;
    String mtime;
    long devMajor = -1;
    long devMinor = -1;
    int sparseMajor = -1;
    long sparseRealSize = -1;
    List<Long> sparseMap;
    final List<TarEntry.Xattr> xattrs = new ArrayList<>(0);

    void parse(byte[] d, long offset) throws TarFormatException {
      int p = 0;
      while (p < d.length) {
        if (d[p] == 0) {
          break; // some writers pad with NULs
        }
        int sp = p;
        long len = 0;
        while (sp < d.length && d[sp] >= '0' && d[sp] <= '9' && len < Integer.MAX_VALUE) {
          len = len * 10 + (d[sp] - '0');
          sp++;
        }
        if (sp >= d.length || d[sp] != ' ' || len <= sp - p || p + len > d.length || d[(int) (p + len - 1)] != '\n') {
          throw new TarFormatException("invalid tar header at offset " + offset + ": malformed PAX record");
        }
        int end = (int) (p + len - 1);
        int eq = sp + 1;
        while (eq < end && d[eq] != '=') {
          eq++;
        }
        if (eq >= end) {
          throw new TarFormatException("invalid tar header at offset " + offset + ": malformed PAX record");
        }
        String key = new String(d, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
        byte[] value = Arrays.copyOfRange(d, eq + 1, end);
        record(key, value, offset);
        p = (int) (p + len);
      }
    }

    private void record(String key, byte[] v, long offset) throws TarFormatException {
      String s = null;
      switch (key) {
        case "path" -> path = v.length == 0 ? null : v;
        case "linkpath" -> linkpath = v.length == 0 ? null : v;
        case "size" -> size = decimal(v, "size", offset);
        case "mtime" -> mtime = new String(v, StandardCharsets.ISO_8859_1);
        case "SCHILY.devmajor" -> devMajor = decimalOrRange(v, offset);
        case "SCHILY.devminor" -> devMinor = decimalOrRange(v, offset);
        case "GNU.sparse.major" -> sparseMajor = (int) decimal(v, key, offset);
        case "GNU.sparse.name" -> sparseName = v;
        case "GNU.sparse.realsize", "GNU.sparse.size" -> sparseRealSize = decimal(v, key, offset);
        case "GNU.sparse.map" -> {
          sparseMap = new ArrayList<>();
          s = new String(v, StandardCharsets.ISO_8859_1);
          if (!s.isEmpty()) {
            String[] parts = s.split(",", -1);
            if (parts.length % 2 != 0 || parts.length / 2 > maxSparseRegions) {
              throw new TarFormatException("invalid tar header at offset " + offset + ": bad sparse map");
            }
            for (String part : parts) {
              sparseMap.add(decimal(part.getBytes(StandardCharsets.ISO_8859_1), key, offset));
            }
          }
        }
        case "GNU.sparse.offset", "GNU.sparse.numbytes" -> {
          if (sparseMap == null) {
            sparseMap = new ArrayList<>();
          }
          sparseMap.add(decimal(v, key, offset));
          if (sparseMap.size() / 2 > maxSparseRegions) {
            throw new TarFormatException("invalid tar header at offset " + offset + ": bad sparse map");
          }
        }
        default -> {
          if (key.startsWith("SCHILY.xattr.")) {
            xattrs.add(new TarEntry.Xattr(keyBytes(key, "SCHILY.xattr."), v));
          } else if (key.startsWith("LIBARCHIVE.xattr.")) {
            try {
              byte[] name = URLDecoder.decode(key.substring(17), StandardCharsets.UTF_8)
                  .getBytes(StandardCharsets.UTF_8);
              xattrs.add(new TarEntry.Xattr(name, Base64.getDecoder().decode(
                  new String(v, StandardCharsets.ISO_8859_1).trim())));
            } catch (IllegalArgumentException bad) {
              throw new TarFormatException("invalid tar header at offset " + offset + ": bad xattr record");
            }
          }
          // uid, gid, uname, gname, atime, ctime, comment, hdrcharset: ownership is not kept and
          // names are raw bytes anyway.
        }
      }
    }

    private byte[] keyBytes(String key, String prefix) {
      return key.substring(prefix.length()).getBytes(StandardCharsets.UTF_8);
    }

    private long decimalOrRange(byte[] v, long offset) throws TarFormatException {
      String s = new String(v, StandardCharsets.ISO_8859_1);
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new TarFormatException("invalid archive: device number out of range at offset " + offset);
      }
    }

    private long decimal(byte[] v, String key, long offset) throws TarFormatException {
      if (v.length == 0 || v.length > 19) {
        throw new TarFormatException("invalid tar header at offset " + offset + ": bad PAX " + key);
      }
      long r = 0;
      for (byte b : v) {
        if (b < '0' || b > '9') {
          throw new TarFormatException("invalid tar header at offset " + offset + ": bad PAX " + key);
        }
        r = r * 10 + (b - '0');
      }
      if (r < 0) {
        throw new TarFormatException("invalid tar header at offset " + offset + ": bad PAX " + key);
      }
      return r;
    }

    void apply(TarEntry e, long offset) {
      if (sparseName != null) {
        e.name = sparseName;
      } else if (path != null) {
        e.name = path;
      }
      if (linkpath != null) {
        e.linkName = linkpath;
      }
      if (size != null) {
        e.size = size;
      }
      if (devMajor >= 0 || devMinor >= 0) {
        e.devMajor = devMajor >= 0 ? devMajor : e.devMajor;
        e.devMinor = devMinor >= 0 ? devMinor : e.devMinor;
      }
      if (mtime != null) {
        if (!parseMtime(e, mtime)) {
          e.badMtime = true;
        } else {
          e.badMtime = false;
        }
      }
      e.xattrs.addAll(xattrs);
    }
  }

  /** PAX time "[-]sec[.frac]"; out-of-range seconds are clamped, garbage is refused. */
  static boolean parseMtime(TarEntry e, String s) {
    int i = 0;
    boolean neg = false;
    if (s.startsWith("-")) {
      neg = true;
      i = 1;
    }
    int dot = s.indexOf('.', i);
    String secPart = dot < 0 ? s.substring(i) : s.substring(i, dot);
    String frac = dot < 0 ? "" : s.substring(dot + 1);
    if (secPart.isEmpty() || !secPart.chars().allMatch(c -> c >= '0' && c <= '9')
        || !frac.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    long max = 1L << 40; // far beyond any filesystem's range; the kernel clamps further
    long sec = secPart.length() > 13 ? max : Math.min(Long.parseLong(secPart), max);
    String ns = (frac + "000000000").substring(0, 9);
    int nsec = Integer.parseInt(ns);
    if (neg) {
      sec = -sec;
      if (nsec > 0) {
        sec -= 1;
        nsec = 1_000_000_000 - nsec;
      }
    }
    e.mtimeSec = sec;
    e.mtimeNsec = nsec;
    return true;
  }
}
