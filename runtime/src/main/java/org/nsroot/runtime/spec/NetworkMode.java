package org.nsroot.runtime.spec;

/** The network a run gets. */
public enum NetworkMode {
  /** A new network namespace with only the loopback interface, up. The default. */
  ISOLATED,
  /** The host's network; /etc/resolv.conf and /etc/hosts are then the host's, read-only. */
  HOST
}
