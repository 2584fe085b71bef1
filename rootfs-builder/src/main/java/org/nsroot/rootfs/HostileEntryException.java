package org.nsroot.rootfs;

/**
 * A layer entry that would escape the rootfs or corrupt it: {@code ..} names, relative symlinks
 * that climb above the root, links to outside, invalid whiteouts, a type change of the root
 * directory, unknown entry types. The message names the entry and the layer.
 */
public final class HostileEntryException extends RootfsException {
  private final String layer;
  private final String entry;

  public HostileEntryException(String layer, String entry, String reason) {
    super(layer + ": entry '" + entry + "': " + reason);
    this.layer = layer;
    this.entry = entry;
  }

  /** Description of the layer, as given by {@link LayerSource#description()}. */
  public String layer() {
    return layer;
  }

  /** The entry's name, non-printable bytes as {@code \xNN}. */
  public String entry() {
    return entry;
  }
}
