package org.nsroot.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.nsroot.rootfs.posix.Posix;
import org.nsroot.rootfs.posix.PosixException;

/**
 * Flattens image layers into a rootfs directory as an unprivileged user, safely and in one
 * streaming pass per layer.
 *
 * <p><b>Atomicity.</b> The tree is built in a fresh directory under {@code workDir} (which must be
 * on the same filesystem as {@code finalDir}) and renamed to {@code finalDir} only when every
 * layer applied and matched its DiffID; on any failure the partial tree is removed. A process
 * killed midway leaves only its build directory, which {@link RootfsRemover#removeStaleBuilds}
 * deletes. The tree is not synced before the rename (only the rename is): a crash of the process
 * never shows a partial rootfs, a crash of the machine may leave files of a renamed rootfs short,
 * as after docker's or umoci's extraction; a full sync would cost seconds per image on disk.
 *
 * <p><b>Semantics</b> (OCI image-spec layer rules, Docker's behaviour where the spec is silent):
 *
 * <ul>
 *   <li>{@code .wh.NAME} removes NAME of lower layers, {@code .wh..wh..opq} hides the lower content
 *       of its directory wherever it appears in the stream; no whiteout file is created;
 *       {@code .wh.}, {@code .wh..} and {@code .wh...} are rejected; other {@code .wh..wh.*} (AUFS
 *       metadata) are skipped.
 *   <li>A later entry replaces what is there: an existing object is unlinked (a directory removed
 *       recursively) and the new one created with O_EXCL|O_NOFOLLOW, never truncated in place; a
 *       directory entry merges into an existing directory.
 *   <li>Regular files, directories, symlinks (target kept byte for byte, never followed while
 *       extracting), hardlinks (to a non-directory of this or an earlier layer, resolved in the
 *       rootfs; the link is to the named inode, never to a symlink's target), FIFOs. Devices are
 *       skipped and counted, with one warning for the build. Unknown types are rejected.
 *   <li>Permission bits are kept exactly (setuid, setgid, sticky, 0000 included; setuid/setgid
 *       counted). Directories keep u+rwx while the layer is applied and get their mode and mtime
 *       at its end, after re-resolving the path without following symlinks. The rootfs directory
 *       itself always keeps u+rwx. Ownership is not kept: everything belongs to the caller, who is
 *       root inside the container. mtimes are kept; {@code user.*} xattrs are kept on files and
 *       directories where the filesystem allows, others skipped and counted.
 *   <li>Names: all leading slashes stripped; {@code .} and empty components ignored; a {@code ..}
 *       component rejected; an empty name skipped with a warning; {@code /}, {@code .} and
 *       {@code ./} directory entries set the root's metadata only, any other type is rejected.
 *   <li>A14: an entry whose parent is a non-directory (a file, or a symlink to one) is rejected,
 *       as Docker and containerd do; umoci instead replaces the file by a directory, which would
 *       silently lose the lower file.
 *   <li>Symlinks met while resolving a path: absolute targets are taken inside the rootfs; a
 *       relative target that climbs above the root is rejected, also when it comes from a lower
 *       layer (A8, C1).
 *   <li>C5: a layer that appears twice is applied twice (order matters with whiteouts).
 *   <li>Each layer's uncompressed sha256 is computed while streaming and compared with its DiffID;
 *       gzip (multi-member), zstd, bzip2 and plain tar are recognised by their magic bytes; a tar
 *       without an end-of-archive block is refused. The whole image is bounded by {@link
 *       BuildLimits}.
 *   <li>Afterwards the rootfs has {@code /.old_root}, {@code /proc}, {@code /dev}, {@code /sys},
 *       {@code /tmp} and, where nothing of that name exists, empty {@code /etc/hosts} and {@code
 *       /etc/resolv.conf}.
 * </ul>
 *
 * <p>Names never pass through Java's file-name encoding: everything below the rootfs is done with
 * *at system calls on raw bytes, so non-UTF-8 names survive under {@code LANG=C}.
 */
public final class RootfsBuilder {
  private final BuildLimits limits;

  public RootfsBuilder() {
    this(BuildLimits.defaults());
  }

  public RootfsBuilder(BuildLimits limits) {
    this.limits = Objects.requireNonNull(limits);
  }

  /**
   * Applies {@code layers} in order and renames the result to {@code finalDir}.
   *
   * @param layers bottom layer first
   * @param workDir where the tree is built; same filesystem as {@code finalDir}; created if absent
   * @param finalDir must not exist; appears only complete
   * @param listener receives one summary per layer and the warnings
   * @return per-layer counts
   * @throws HostileEntryException an entry that would escape or corrupt the rootfs
   * @throws DigestMismatchException a layer's content does not match its DiffID
   * @throws LimitExceededException a {@link BuildLimits} bound was hit
   * @throws CorruptLayerException invalid compressed stream or tar
   * @throws RootfsException any other failure (I/O, the layer stream, finalDir exists)
   */
  public BuildReport build(List<LayerSource> layers, Path workDir, Path finalDir, BuildListener listener)
      throws RootfsException {
    Objects.requireNonNull(layers, "layers");
    Objects.requireNonNull(listener, "listener");
    if (layers.size() > limits.maxLayers()) {
      throw new LimitExceededException("limit exceeded: " + layers.size() + " layers (maximum "
          + limits.maxLayers() + ")");
    }
    Path buildDir;
    DiskGuard disk;
    try {
      Files.createDirectories(workDir);
      if (Files.exists(finalDir, LinkOption.NOFOLLOW_LINKS)) {
        throw new RootfsException("cannot build " + finalDir + ": it already exists");
      }
      disk = new DiskGuard(workDir, limits.minFreeDiskBytes());
      buildDir = workDir.resolve(RootfsRemover.BUILD_PREFIX + ProcessHandle.current().pid() + "-"
          + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
      Files.createDirectory(buildDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.setPosixFilePermissions(buildDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new RootfsException("cannot create a build directory in " + workDir + ": " + e.getMessage(), e);
    }
    boolean done = false;
    int rootFd = -1;
    LayerApplier applier = null;
    try {
      rootFd = Posix.open(buildDir, Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW);
      applier = new LayerApplier(rootFd, limits, listener, disk);
      List<LayerStats> stats = new ArrayList<>(layers.size());
      for (LayerSource layer : layers) {
        LayerStats s = applier.apply(layer);
        stats.add(s);
        listener.layerApplied(s);
      }
      long devices = stats.stream().mapToLong(LayerStats::devicesSkipped).sum();
      if (devices > 0) {
        listener.warning("skipped " + devices + " device node(s), which an unprivileged user cannot create (e.g. "
            + String.join(", ", applier.deviceNames()) + ")");
      }
      MountPoints.prepare(rootFd, listener);
      commit(buildDir, finalDir);
      done = true;
      return new BuildReport(finalDir, stats);
    } catch (PosixException e) {
      throw new RootfsException("building " + finalDir + " failed: " + e.getMessage(), e);
    } finally {
      if (applier != null) {
        applier.close();
      }
      Posix.close(rootFd);
      if (!done) {
        try {
          RootfsRemover.remove(buildDir);
        } catch (RootfsException | RuntimeException cleanup) {
          listener.warning("could not remove the partial build " + buildDir + ": " + cleanup.getMessage());
        }
      }
    }
  }

  private static void commit(Path buildDir, Path finalDir) throws RootfsException {
    try {
      Posix.renameNoReplace(Posix.AT_FDCWD, Posix.bytes(buildDir.toAbsolutePath()), Posix.AT_FDCWD,
          Posix.bytes(finalDir.toAbsolutePath()));
    } catch (PosixException e) {
      String why = e.errno() == Posix.EEXIST ? "it already exists"
          : e.errno() == Posix.EXDEV ? "the work directory is on another filesystem" : e.getMessage();
      throw new RootfsException("cannot move the rootfs into " + finalDir + ": " + why, e);
    }
    Path parent = finalDir.toAbsolutePath().getParent();
    try {
      int fd = Posix.open(parent, Posix.O_RDONLY | Posix.O_DIRECTORY);
      try {
        Posix.fsync(fd);
      } finally {
        Posix.close(fd);
      }
    } catch (PosixException e) {
      // the rename is done; durability of the directory entry is best effort
    }
  }
}
