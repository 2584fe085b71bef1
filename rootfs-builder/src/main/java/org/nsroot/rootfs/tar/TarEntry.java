package org.nsroot.rootfs.tar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One tar member as read from the stream: names and link targets as raw bytes (exactly what the
 * archive holds, after GNU long-name, PAX and ustar-prefix processing), never decoded.
 */
public final class TarEntry {
  /** Type of member, from the typeflag. */
  public enum Type {
    REGULAR,
    HARDLINK,
    SYMLINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    DIRECTORY,
    FIFO
  }

  /** An extended attribute from a SCHILY.xattr or LIBARCHIVE.xattr record. */
  public record Xattr(byte[] name, byte[] value) {}

  byte[] name;
  byte[] linkName = new byte[0];
  Type type;
  int mode;
  long size;
  long realSize;
  long mtimeSec;
  int mtimeNsec;
  boolean badMtime;
  long devMajor;
  long devMinor;
  long offset;
  final List<Xattr> xattrs = new ArrayList<>(0);
  long[] sparse; // pairs of offset, length; null when not sparse

  public byte[] name() {
    return name;
  }

  public byte[] linkName() {
    return linkName;
  }

  public Type type() {
    return type;
  }

  /** Permission bits including setuid, setgid and sticky (07777). */
  public int mode() {
    return mode & 07777;
  }

  /** Bytes of data stored in the archive for this member. */
  public long size() {
    return size;
  }

  /** Apparent size of the file: equals {@link #size()} unless sparse. */
  public long realSize() {
    return realSize;
  }

  public long mtimeSec() {
    return mtimeSec;
  }

  public int mtimeNsec() {
    return mtimeNsec;
  }

  /** True when a PAX mtime could not be parsed and the ustar value was used instead. */
  public boolean badMtime() {
    return badMtime;
  }

  /** Offset of this member's header in the uncompressed stream, for messages. */
  public long offset() {
    return offset;
  }

  public List<Xattr> xattrs() {
    return Collections.unmodifiableList(xattrs);
  }

  /** Sparse map as (offset, length) pairs in file order, or null for an ordinary member. */
  public long[] sparseMap() {
    return sparse;
  }
}
