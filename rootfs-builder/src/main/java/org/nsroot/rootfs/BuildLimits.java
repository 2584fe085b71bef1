package org.nsroot.rootfs;

/**
 * Bounds that turn hostile or broken images into a clear {@link LimitExceededException} instead
 * of a full disk or an out-of-memory error. The defaults are generous: real images never meet them.
 *
 * @param maxUncompressedBytes total uncompressed tar bytes of all layers of one image (B1)
 * @param minFreeDiskBytes the build stops when the work directory's filesystem has less free space
 * @param maxLayers layers per image (C5); Docker stops at 125, we allow more
 * @param maxHeaderBytes one member's PAX/GNU-long-name headers together (B2)
 * @param maxSparseRegions regions of one sparse file's map (B1)
 * @param maxPathDepth components of one entry name (A20)
 */
public record BuildLimits(
    long maxUncompressedBytes,
    long minFreeDiskBytes,
    int maxLayers,
    int maxHeaderBytes,
    int maxSparseRegions,
    int maxPathDepth) {

  /** 256 GiB per image, 256 MiB free disk kept, 1000 layers, 1 MiB headers, 100k regions, depth 16384. */
  public static BuildLimits defaults() {
    return new BuildLimits(256L << 30, 256L << 20, 1000, 1 << 20, 100_000, 16_384);
  }

  public BuildLimits withMaxUncompressedBytes(long v) {
    return new BuildLimits(v, minFreeDiskBytes, maxLayers, maxHeaderBytes, maxSparseRegions, maxPathDepth);
  }

  public BuildLimits withMinFreeDiskBytes(long v) {
    return new BuildLimits(maxUncompressedBytes, v, maxLayers, maxHeaderBytes, maxSparseRegions, maxPathDepth);
  }

  public BuildLimits withMaxLayers(int v) {
    return new BuildLimits(maxUncompressedBytes, minFreeDiskBytes, v, maxHeaderBytes, maxSparseRegions, maxPathDepth);
  }

  public BuildLimits withMaxHeaderBytes(int v) {
    return new BuildLimits(maxUncompressedBytes, minFreeDiskBytes, maxLayers, v, maxSparseRegions, maxPathDepth);
  }

  public BuildLimits withMaxPathDepth(int v) {
    return new BuildLimits(maxUncompressedBytes, minFreeDiskBytes, maxLayers, maxHeaderBytes, maxSparseRegions, v);
  }
}
