package org.nsroot.fetch.manifest;

import java.util.List;
import java.util.stream.Collectors;

/** Chooses the manifest of an index that runs on the platform asked for. */
public final class PlatformSelector {
  private PlatformSelector() {}

  /**
   * The best entry of {@code index} for {@code wanted}: attestation entries are skipped, os and
   * architecture must match, and the variant too when one was asked for.
   *
   * @throws NoMatchingPlatformException listing the platforms the index offers
   */
  public static Descriptor select(ImageIndex index, Platform wanted, String where)
      throws NoMatchingPlatformException {
    List<Descriptor> images =
        index.manifests().stream()
            .filter(d -> !d.isAttestation())
            .filter(d -> MediaTypes.MANIFESTS.contains(d.mediaType()) || MediaTypes.INDEXES.contains(d.mediaType()))
            .toList();
    if (images.size() == 1 && images.get(0).platform() == null) {
      return images.get(0); // a single-image index that does not say its platform
    }
    // An exact variant beats "any variant", so linux/arm/v7 is preferred to linux/arm/v6 for arm/v7.
    for (Descriptor d : images) {
      if (d.platform() != null && d.platform().equals(wanted)) {
        return d;
      }
    }
    for (Descriptor d : images) {
      if (d.platform() != null && wanted.accepts(d.platform())) {
        return d;
      }
    }
    String available =
        images.stream()
            .map(d -> d.platform() == null ? "unknown" : d.platform().toString())
            .distinct()
            .collect(Collectors.joining(", "));
    throw new NoMatchingPlatformException(
        where + " has no image for " + wanted + "; it has: "
            + (available.isEmpty() ? "nothing runnable" : available) + " (choose one with --platform)");
  }
}
