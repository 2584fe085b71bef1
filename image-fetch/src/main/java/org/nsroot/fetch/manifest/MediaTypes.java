package org.nsroot.fetch.manifest;

import java.util.List;
import java.util.Set;

/** The media types of images, as registries and image layouts name them. */
public final class MediaTypes {
  private MediaTypes() {}

  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
  public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

  /** What we ask registries for, most preferred first. Schema 1 is left out on purpose. */
  public static final List<String> ACCEPTED_MANIFESTS =
      List.of(OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
  public static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
  public static final Set<String> CONFIGS = Set.of(OCI_CONFIG, DOCKER_CONFIG);

  /**
   * Layer types we can flatten. The compression named here is only a hint: the flattener sniffs
   * the bytes (peers.md §2 row 9: zstd arrives under docker's gzip type too).
   */
  public static final Set<String> LAYERS =
      Set.of(
          "application/vnd.oci.image.layer.v1.tar",
          "application/vnd.oci.image.layer.v1.tar+gzip",
          "application/vnd.oci.image.layer.v1.tar+zstd",
          "application/vnd.oci.image.layer.nondistributable.v1.tar",
          "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
          "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
          "application/vnd.docker.image.rootfs.diff.tar",
          "application/vnd.docker.image.rootfs.diff.tar.gzip",
          "application/vnd.docker.image.rootfs.diff.tar.zstd",
          "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
}
