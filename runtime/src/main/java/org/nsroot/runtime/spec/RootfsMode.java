package org.nsroot.runtime.spec;

/** How the rootfs directory is presented as the container's root. */
public enum RootfsMode {
  /** Read-only. The cached rootfs is never written; the default for images. */
  READ_ONLY,
  /** An overlay whose upper layer lives in a tmpfs: writes succeed and vanish at exit. */
  OVERLAY
}
