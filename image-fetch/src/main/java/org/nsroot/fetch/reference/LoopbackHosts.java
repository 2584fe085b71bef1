package org.nsroot.fetch.reference;

import java.util.Locale;

/**
 * Recognises loopback host names and literals without a DNS lookup: plain HTTP and credentials
 * over it are allowed only there, and the decision must not depend on a resolver we do not trust.
 */
public final class LoopbackHosts {
  private LoopbackHosts() {}

  /** Whether {@code host} (no port, no brackets) is this machine. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    return h.matches("127(?:\\.[0-9]{1,3}){3}");
  }
}
