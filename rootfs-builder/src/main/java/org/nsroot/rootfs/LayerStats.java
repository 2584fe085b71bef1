package org.nsroot.rootfs;

/** Counts of what one layer created, skipped and changed; {@link #summary()} is the log line. */
public final class LayerStats {
  private final String layer;
  String compression = "none";
  long bytes;
  long entries;
  long files;
  long dirs;
  long symlinks;
  long hardlinks;
  long fifos;
  long whiteouts;
  long opaques;
  long devicesSkipped;
  long xattrsKept;
  long xattrsSkipped;
  long setuidKept;
  long absoluteNamesFixed;
  long emptyNamesSkipped;
  long rootEntries;
  long hardlinkDataIgnored;
  long badTimes;
  long globalHeadersIgnored;
  long aufsMetadataSkipped;

  LayerStats(String layer) {
    this.layer = layer;
  }

  public String layer() {
    return layer;
  }

  /** gzip, zstd, bzip2 or none, as sniffed from the stream. */
  public String compression() {
    return compression;
  }

  /** Uncompressed tar bytes. */
  public long bytes() {
    return bytes;
  }

  public long entries() {
    return entries;
  }

  public long files() {
    return files;
  }

  public long dirs() {
    return dirs;
  }

  public long symlinks() {
    return symlinks;
  }

  public long hardlinks() {
    return hardlinks;
  }

  public long fifos() {
    return fifos;
  }

  public long whiteouts() {
    return whiteouts;
  }

  public long opaques() {
    return opaques;
  }

  public long devicesSkipped() {
    return devicesSkipped;
  }

  public long xattrsKept() {
    return xattrsKept;
  }

  /** Non-{@code user.*} xattrs, xattrs on symlinks, and those the filesystem refused. */
  public long xattrsSkipped() {
    return xattrsSkipped;
  }

  /** Files and directories whose setuid or setgid bit was kept. */
  public long setuidKept() {
    return setuidKept;
  }

  /** Names with leading slashes taken inside the rootfs. */
  public long absoluteNamesFixed() {
    return absoluteNamesFixed;
  }

  public long emptyNamesSkipped() {
    return emptyNamesSkipped;
  }

  /** {@code /}, {@code .} and {@code ./} directory entries (they only change the root's metadata). */
  public long rootEntries() {
    return rootEntries;
  }

  /** Hardlink entries that carried data; the data was ignored, nothing is written through links. */
  public long hardlinkDataIgnored() {
    return hardlinkDataIgnored;
  }

  /** Unparsable timestamps that were replaced (catalogue B5). */
  public long badTimes() {
    return badTimes;
  }

  public long globalHeadersIgnored() {
    return globalHeadersIgnored;
  }

  /** AUFS {@code .wh..wh.*} metadata entries other than the opaque marker. */
  public long aufsMetadataSkipped() {
    return aufsMetadataSkipped;
  }

  /** One line: what was created, then what was skipped or changed (only non-zero counts). */
  public String summary() {
    StringBuilder sb = new StringBuilder(layer).append(": ");
    sb.append(entries).append(" entries (").append(files).append(" files, ").append(dirs)
        .append(" dirs, ").append(symlinks).append(" symlinks, ").append(hardlinks)
        .append(" hardlinks, ").append(fifos).append(" fifos), ").append(whiteouts)
        .append(" whiteouts, ").append(opaques).append(" opaque dirs, ").append(bytes)
        .append(" bytes ").append(compression.equals("none") ? "uncompressed" : compression + "-compressed");
    StringBuilder notes = new StringBuilder();
    note(notes, devicesSkipped, "devices skipped");
    note(notes, xattrsSkipped, "xattrs skipped");
    note(notes, xattrsKept, "xattrs kept");
    note(notes, setuidKept, "setuid/setgid kept");
    note(notes, absoluteNamesFixed, "absolute names fixed");
    note(notes, emptyNamesSkipped, "empty names skipped");
    note(notes, rootEntries, "root entries");
    note(notes, hardlinkDataIgnored, "hardlink data ignored");
    note(notes, badTimes, "bad timestamps replaced");
    note(notes, globalHeadersIgnored, "global headers ignored");
    note(notes, aufsMetadataSkipped, "aufs metadata skipped");
    if (notes.length() > 0) {
      sb.append("; ").append(notes);
    }
    return sb.toString();
  }

  private static void note(StringBuilder sb, long n, String what) {
    if (n > 0) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(n).append(' ').append(what);
    }
  }

  @Override
  public String toString() {
    return summary();
  }
}
