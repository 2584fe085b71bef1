package org.nsroot.rootfs;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nsroot.fetch.compression.Compression;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.rootfs.layer.DigestingInputStream;
import org.nsroot.rootfs.layer.ReadAhead;
import org.nsroot.rootfs.posix.DirReader;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.posix.PosixException;
import org.nsroot.rootfs.posix.Stat;
import org.nsroot.rootfs.tar.TarEntry;
import org.nsroot.rootfs.tar.TarFormatException;
import org.nsroot.rootfs.tar.TarLimitException;
import org.nsroot.rootfs.tar.TarReader;
import org.nsroot.rootfs.tree.EntryName;
import org.nsroot.rootfs.tree.Journal;
import org.nsroot.rootfs.tree.Resolver;
import org.nsroot.rootfs.tree.TreeRemover;

/**
 * Applies layers, one at a time and in one streaming pass each, into an open rootfs directory.
 * See {@link RootfsBuilder} for the semantics; this class holds the per-entry rules.
 */
final class LayerApplier {
  private static final byte[] WH = ".wh.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AUFS = ".wh..wh.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OPAQUE = ".wh..wh..opq".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] USER = "user.".getBytes(StandardCharsets.US_ASCII);
  private static final long MAX_TIME = 1L << 40;

  /** Wraps failures of the caller's stream so they are not mistaken for corrupt data. */
  private static final class SourceException extends IOException {
    SourceException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private static final class SourceStream extends FilterInputStream {
    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        throw new SourceException(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw new SourceException(e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } catch (IOException e) {
        throw new SourceException(e);
      }
    }
  }

  @FunctionalInterface
  private interface Op {
    void run() throws PosixException;
  }

  private final int rootFd;
  private final BuildLimits limits;
  private final BuildListener listener;
  private final DiskGuard disk;
  private final Journal journal = new Journal();
  private final Resolver resolver;
  private final Resolver linkResolver;
  private final TreeRemover remover = new TreeRemover();
  private final DirReader reader = new DirReader(-1);
  private final byte[] buf = new byte[256 * 1024];
  private final List<String> deviceNames = new ArrayList<>();
  private long budgetUsed;

  private TarReader tar;
  private LayerStats stats;
  private String layer;
  /** Raw name of the entry being applied, for messages only (made printable when one is needed). */
  private byte[] entryName;

  LayerApplier(int rootFd, BuildLimits limits, BuildListener listener, DiskGuard disk) {
    this.rootFd = rootFd;
    this.limits = limits;
    this.listener = listener;
    this.disk = disk;
    Resolver.AccessListener al = (stack, level, mode) -> journal.opened(journal.nodeOf(stack, level), mode);
    this.resolver = new Resolver(rootFd, al);
    this.linkResolver = new Resolver(rootFd, al);
  }

  List<String> deviceNames() {
    return deviceNames;
  }

  void close() {
    resolver.close();
    linkResolver.close();
  }

  /** Applies one layer and verifies its DiffID; the layer's stream is closed before returning. */
  LayerStats apply(LayerSource src) throws RootfsException {
    layer = src.description();
    stats = new LayerStats(layer);
    journal.clear();
    resolver.invalidate();
    linkResolver.invalidate();
    entryName = null;
    disk.check(layer);
    DigestingInputStream digest = null;
    ReadAhead ahead = null;
    InputStream opened;
    try {
      opened = src.opener().open();
    } catch (IOException e) {
      throw new RootfsException(layer + ": cannot open the layer: " + e.getMessage(), e);
    }
    // A download may verify its own digest when it ends or is closed: both count as reading it,
    // so the source is closed here, once, and never by the decompressor.
    try (InputStream raw = new SourceStream(opened)) {
      BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
      Compression c = Compression.sniff(in);
      stats.compression = c.name().toLowerCase(Locale.ROOT);
      InputStream decoded = c.decompress(new FilterInputStream(in) {
        @Override
        public void close() {}
      });
      try {
        digest = new DigestingInputStream(decoded, src.diffId(), limits.maxUncompressedBytes() - budgetUsed);
        // Decompression and hashing run on a second thread, bounded read-ahead (see ReadAhead).
        ahead = new ReadAhead(digest, layer);
        readTar(ahead);
        if (c != Compression.NONE && in.read() >= 0) {
          throw new TarFormatException("trailing data after the " + stats.compression + " stream");
        }
        journal.applyDirectoryMetadata(rootFd);
      } finally {
        if (ahead != null) {
          ahead.close();
          ahead.awaitStop(5000);
        }
        closeDecompressor(decoded);
      }
    } catch (RootfsException e) {
      throw e;
    } catch (DigestingInputStream.BudgetExceededException e) {
      throw new LimitExceededException(layer + ": limit exceeded: uncompressed size of the image exceeds "
          + limits.maxUncompressedBytes() + " bytes" + at());
    } catch (TarLimitException e) {
      throw new LimitExceededException(layer + ": limit exceeded: " + e.getMessage() + at());
    } catch (TarFormatException | Compression.UnsupportedCompressionException e) {
      throw new CorruptLayerException(layer + ": " + e.getMessage() + at(), e);
    } catch (SourceException e) {
      throw new RootfsException(layer + ": reading the layer failed: " + e.getMessage(), e.getCause());
    } catch (PosixException e) {
      throw new RootfsException(layer + at() + ": " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new CorruptLayerException(layer + ": unexpected EOF in the compressed stream" + at(), e);
    } catch (IOException e) {
      throw new CorruptLayerException(layer + ": corrupt compressed stream: " + e.getMessage() + at(), e);
    } catch (Resolver.EscapeException e) {
      throw hostile(e.getMessage());
    } catch (EntryName.TooDeepException e) {
      throw new LimitExceededException(layer + ": limit exceeded: " + e.getMessage() + at());
    } catch (EntryName.BadNameException e) {
      throw hostile(e.getMessage());
    }
    budgetUsed += digest.count();
    stats.bytes = digest.count();
    stats.globalHeadersIgnored = tar.globalHeaders();
    Digest actual = digest.digest();
    if (!actual.equals(src.diffId())) {
      throw new DigestMismatchException(layer, src.diffId().toString(), actual.toString());
    }
    return stats;
  }

  private void readTar(InputStream layerStream)
      throws IOException, RootfsException, Resolver.EscapeException, EntryName.BadNameException {
    tar = new TarReader(layerStream, limits.maxHeaderBytes(), limits.maxSparseRegions());
    TarEntry e;
    while ((e = tar.next()) != null) {
      entryName = e.name();
      stats.entries++;
      applyEntry(e);
    }
    entryName = null;
    if (!tar.sawEndMarker()) {
      throw new TarFormatException("unexpected EOF: the tar stream ends without an end-of-archive block");
    }
    byte[] rest = new byte[8192];
    while (layerStream.read(rest, 0, rest.length) >= 0) {
      // data after the end-of-archive blocks is part of the DiffID
    }
  }

  /** Frees the decompressor's native or inflater state; its source is closed by apply. */
  private static void closeDecompressor(InputStream decoded) {
    try {
      decoded.close();
    } catch (IOException ignored) {
      // nothing is lost: the layer was fully read or has already failed
    }
  }

  private String entry() {
    return Posix.printable(entryName);
  }

  private String at() {
    return entryName == null ? "" : " (entry '" + entry() + "')";
  }

  private HostileEntryException hostile(String reason) {
    return new HostileEntryException(layer, entryName == null ? "" : entry(), reason);
  }

  private void applyEntry(TarEntry e)
      throws IOException, RootfsException, Resolver.EscapeException, EntryName.BadNameException {
    if (e.name().length == 0) {
      stats.emptyNamesSkipped++;
      listener.warning(layer + ": skipped an entry with an empty name at offset " + e.offset());
      return;
    }
    EntryName name = EntryName.parse(e.name(), limits.maxPathDepth());
    if (name.wasAbsolute() && !name.isRoot()) {
      stats.absoluteNamesFixed++;
    }
    if (name.isRoot()) {
      if (e.type() != TarEntry.Type.DIRECTORY) {
        throw hostile("refusing to change type of root directory");
      }
      stats.rootEntries++;
      journal.directoryMetadata(journal.root(), e.mode(), sec(e), e.mtimeNsec());
      return;
    }
    byte[] last = name.last();
    if (EntryName.startsWith(last, WH)) {
      whiteout(name, last);
      return;
    }
    if (e.type() == TarEntry.Type.CHAR_DEVICE || e.type() == TarEntry.Type.BLOCK_DEVICE) {
      stats.devicesSkipped++;
      if (deviceNames.size() < 5) {
        deviceNames.add(entry());
      }
      return;
    }
    if (e.type() != TarEntry.Type.DIRECTORY && name.trailingSlash() && e.type() != TarEntry.Type.REGULAR) {
      throw hostile("non-directory entry with a trailing slash");
    }
    if (e.badMtime()) {
      stats.badTimes++;
    }
    parent(name);
    Journal.Node parentNode = journal.writtenInto(resolver.stack(), resolver.stack().depth());
    switch (e.type()) {
      case DIRECTORY -> directory(e, last, parentNode);
      case REGULAR -> regular(e, last, parentNode);
      case SYMLINK -> symlink(e, last, parentNode);
      case HARDLINK -> hardlink(e, last, parentNode);
      case FIFO -> fifo(e, last, parentNode);
      default -> throw hostile("unhandled entry type");
    }
  }

  /** Resolves (creating) the entry's parent; a non-directory parent is refused (A14). */
  private void parent(EntryName name) throws PosixException, Resolver.EscapeException, HostileEntryException {
    Resolver.Status s = resolver.resolve(name.components(), name.size() - 1, true);
    if (s != Resolver.Status.OK) {
      throw hostile("a parent of the entry is not a directory");
    }
  }

  private static long sec(TarEntry e) {
    return Math.max(-MAX_TIME, Math.min(MAX_TIME, e.mtimeSec()));
  }

  private void withAccess(Op op) throws PosixException {
    try {
      op.run();
    } catch (PosixException e) {
      if (e.errno() == Posix.EACCES && resolver.makeAccessible(resolver.stack().depth())) {
        op.run();
        return;
      }
      throw e;
    }
  }

  /** Removes whatever is at {@code name} in the current parent, so that a new object takes it. */
  private void clear(byte[] name) throws PosixException {
    int parent = resolver.stack().top();
    Stat st = Posix.statxOrNull(parent, name);
    if (st == null) {
      return;
    }
    if (st.isDir() || st.isSymlink()) {
      resolver.invalidate();
      linkResolver.invalidate();
    }
    withAccess(() -> remover.remove(parent, name));
  }

  private void directory(TarEntry e, byte[] name, Journal.Node parentNode) throws PosixException {
    int parent = resolver.stack().top();
    boolean fresh = false;
    while (true) {
      try {
        withAccess(() -> Posix.mkdirat(parent, name, 0700));
        fresh = true;
        break;
      } catch (PosixException x) {
        if (x.errno() != Posix.EEXIST) {
          throw x;
        }
        Stat st = Posix.statx(parent, name);
        if (st.isDir()) {
          break; // merge into the existing directory
        }
        clear(name);
      }
    }
    Journal.Node n = fresh ? journal.created(parentNode, name) : journal.touched(parentNode, name);
    journal.directoryMetadata(n, e.mode(), sec(e), e.mtimeNsec());
    stats.dirs++;
    countSetuid(e);
    if (!e.xattrs().isEmpty()) {
      Stat st = Posix.statx(parent, name);
      if ((st.perm() & 0700) != 0700) {
        journal.opened(n, st.perm());
        Posix.chmodNoFollow(parent, name, st.perm() | 0700);
      }
      int fd = Posix.openat(parent, name, Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NOFOLLOW, 0);
      try {
        xattrs(fd, e);
      } finally {
        Posix.close(fd);
      }
    }
  }

  private void regular(TarEntry e, byte[] name, Journal.Node parentNode) throws IOException, RootfsException {
    if (e.realSize() > limits.maxUncompressedBytes()) {
      throw new LimitExceededException(layer + ": entry '" + entry() + "': limit exceeded: apparent size "
          + e.realSize() + " exceeds " + limits.maxUncompressedBytes() + " bytes");
    }
    int parent = resolver.stack().top();
    int[] fd = {-1};
    while (fd[0] < 0) {
      try {
        withAccess(() -> fd[0] = Posix.openat(parent, name,
            Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_NOFOLLOW, 0600));
      } catch (PosixException x) {
        if (x.errno() != Posix.EEXIST) {
          throw x;
        }
        clear(name); // unlink, never truncate in place: the old inode may be hardlinked
      }
    }
    try {
      long[] map = e.sparseMap();
      if (map == null) {
        copy(fd[0], e.size(), -1);
      } else {
        for (int i = 0; i < map.length; i += 2) {
          copy(fd[0], map[i + 1], map[i]);
        }
        Posix.ftruncate(fd[0], e.realSize());
      }
      xattrs(fd[0], e);
      Posix.fchmod(fd[0], e.mode());
      Posix.futimens(fd[0], sec(e), e.mtimeNsec());
    } finally {
      Posix.close(fd[0]);
    }
    journal.created(parentNode, name);
    stats.files++;
    countSetuid(e);
  }

  private void copy(int fd, long length, long offset) throws IOException, RootfsException {
    long left = length;
    long pos = offset;
    while (left > 0) {
      int n = tar.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new TarFormatException("unexpected EOF: truncated tar member data");
      }
      Posix.writeFully(fd, buf, n, offset < 0 ? -1 : pos);
      if (offset >= 0) {
        pos += n;
      }
      left -= n;
      disk.wrote(n, layer);
    }
  }

  private void symlink(TarEntry e, byte[] name, Journal.Node parentNode) throws PosixException, HostileEntryException {
    byte[] target = e.linkName();
    if (target.length == 0) {
      throw hostile("symlink with an empty target");
    }
    for (byte b : target) {
      if (b == 0) {
        throw hostile("symlink target contains a NUL byte");
      }
    }
    int parent = resolver.stack().top();
    while (true) {
      try {
        withAccess(() -> Posix.symlinkat(target, parent, name));
        break;
      } catch (PosixException x) {
        if (x.errno() != Posix.EEXIST) {
          throw x;
        }
        clear(name);
      }
    }
    // Times only, on the link itself; Linux has no lchmod and xattrs never go on a link (A13, A18).
    Posix.utimesNoFollow(parent, name, sec(e), e.mtimeNsec());
    stats.xattrsSkipped += e.xattrs().size();
    journal.created(parentNode, name);
    stats.symlinks++;
  }

  private void hardlink(TarEntry e, byte[] name, Journal.Node parentNode)
      throws PosixException, HostileEntryException, Resolver.EscapeException, EntryName.BadNameException {
    EntryName target;
    try {
      target = EntryName.parse(e.linkName(), limits.maxPathDepth());
    } catch (EntryName.TooDeepException x) {
      throw x; // a limit, not a hostile name: apply() says so
    } catch (EntryName.BadNameException x) {
      throw hostile("hardlink target '" + Posix.printable(e.linkName()) + "': " + x.getMessage());
    }
    if (target.isRoot()) {
      throw hostile("hardlink to the root directory");
    }
    // The target's directories are resolved in-root like any path (A7, A10); its last component
    // is never followed: a link to a symlink links the symlink itself (A12).
    Resolver.Status s = linkResolver.resolve(target.components(), target.size() - 1, false);
    int srcDir = linkResolver.stack().top();
    Stat src = s == Resolver.Status.OK ? linkSource(srcDir, target.last()) : null;
    if (src == null) {
      throw hostile("hardlink target '" + Posix.printable(e.linkName()) + "' does not exist in the rootfs");
    }
    if (src.isDir()) {
      throw hostile("hardlink to a directory");
    }
    if (e.size() > 0) {
      stats.hardlinkDataIgnored++; // the reader skips it; nothing is written through a link (A11)
    }
    int parent = resolver.stack().top();
    Stat existing = Posix.statxOrNull(parent, name);
    if (existing != null && existing.sameInode(src)) {
      journal.created(parentNode, name);
      stats.hardlinks++;
      return; // already that inode (a self-link must not unlink the file: A11)
    }
    byte[] srcName = target.last();
    while (true) {
      try {
        withAccess(() -> Posix.linkat(srcDir, srcName, parent, name));
        break;
      } catch (PosixException x) {
        if (x.errno() != Posix.EEXIST) {
          throw x;
        }
        clear(name);
        srcDirCheck(srcDir, srcName, src);
      }
    }
    journal.created(parentNode, name);
    stats.hardlinks++;
  }

  /** The hardlink source, opening up its directory (u+rwx, put back after the layer) if needed. */
  private Stat linkSource(int srcDir, byte[] name) throws PosixException {
    try {
      return Posix.statxOrNull(srcDir, name);
    } catch (PosixException x) {
      if (x.errno() == Posix.EACCES && linkResolver.makeAccessible(linkResolver.stack().depth())) {
        return Posix.statxOrNull(srcDir, name);
      }
      throw x;
    }
  }

  /** After clearing the destination, the source must still be the same inode. */
  private void srcDirCheck(int srcDir, byte[] srcName, Stat src) throws PosixException {
    Stat now = Posix.statxOrNull(srcDir, srcName);
    if (now == null || !now.sameInode(src)) {
      throw new PosixException("linkat", Posix.ENOENT, "hardlink target removed by its own replacement");
    }
  }

  private void fifo(TarEntry e, byte[] name, Journal.Node parentNode) throws PosixException {
    int parent = resolver.stack().top();
    while (true) {
      try {
        withAccess(() -> Posix.mkfifoat(parent, name, 0600));
        break;
      } catch (PosixException x) {
        if (x.errno() != Posix.EEXIST) {
          throw x;
        }
        clear(name);
      }
    }
    Posix.chmodNoFollow(parent, name, e.mode());
    Posix.utimesNoFollow(parent, name, sec(e), e.mtimeNsec());
    journal.created(parentNode, name);
    stats.fifos++;
  }

  private void whiteout(EntryName name, byte[] last)
      throws PosixException, Resolver.EscapeException, HostileEntryException {
    if (Arrays.equals(last, OPAQUE)) {
      opaque(name);
      return;
    }
    if (EntryName.startsWith(last, AUFS)) {
      stats.aufsMetadataSkipped++; // AUFS hardlink/metadata dirs: not content
      return;
    }
    byte[] victim = Arrays.copyOfRange(last, WH.length, last.length);
    if (victim.length == 0 || (victim.length == 1 && victim[0] == '.')
        || (victim.length == 2 && victim[0] == '.' && victim[1] == '.')) {
      throw hostile("invalid whiteout");
    }
    stats.whiteouts++;
    // Resolved in-root like any path (C3); a missing or non-directory parent means nothing to hide.
    Resolver.Status s = resolver.resolve(name.components(), name.size() - 1, false);
    if (s != Resolver.Status.OK) {
      return;
    }
    Journal.Node parentNode = journal.nodeOf(resolver.stack(), resolver.stack().depth());
    if (journal.writtenByLayer(parentNode, victim)) {
      return; // whiteouts hide lower layers only
    }
    int parent = resolver.stack().top();
    if (Posix.statxOrNull(parent, victim) == null) {
      return;
    }
    resolver.invalidate();
    linkResolver.invalidate();
    withAccess(() -> remover.remove(parent, victim));
  }

  private void opaque(EntryName name) throws PosixException, Resolver.EscapeException, HostileEntryException {
    stats.opaques++;
    Resolver.Status s = resolver.resolve(name.components(), name.size() - 1, true);
    if (s != Resolver.Status.OK) {
      throw hostile("opaque marker in a non-directory");
    }
    int level = resolver.stack().depth();
    Journal.Node dir = journal.writtenInto(resolver.stack(), level);
    resolver.makeAccessible(level);
    resolver.invalidate();
    linkResolver.invalidate();
    journal.hideLower(dir, resolver.stack().top(), remover, reader);
  }

  private void countSetuid(TarEntry e) {
    if ((e.mode() & 06000) != 0) {
      stats.setuidKept++;
    }
  }

  /** {@code user.*} kept where the filesystem allows; everything else skipped and counted (A18). */
  private void xattrs(int fd, TarEntry e) {
    for (TarEntry.Xattr x : e.xattrs()) {
      if (!EntryName.startsWith(x.name(), USER)) {
        stats.xattrsSkipped++;
        continue;
      }
      try {
        Posix.fsetxattr(fd, x.name(), x.value());
        stats.xattrsKept++;
      } catch (PosixException | IllegalArgumentException ex) {
        stats.xattrsSkipped++;
      }
    }
  }
}
