package org.nsroot.fetch.registry;

import java.net.URI;
import java.util.Locale;
import org.nsroot.fetch.reference.LoopbackHosts;

/**
 * Where a registry may send us: token realms and redirects come from the server, so they are
 * checked before any request or credential goes there (catalogue D7, D8). Host names are judged as
 * written; literal addresses are judged by their range, so a public registry cannot point us at
 * this machine, the LAN or a cloud metadata service.
 */
final class AddressPolicy {
  private AddressPolicy() {}

  static boolean isLoopback(String host) {
    return LoopbackHosts.isLoopback(stripBrackets(host));
  }

  /** Link-local literals: 169.254/16 (cloud metadata) and fe80::/10. */
  static boolean isLinkLocal(String host) {
    String h = stripBrackets(host).toLowerCase(Locale.ROOT);
    return h.startsWith("169.254.") || h.startsWith("fe8") || h.startsWith("fe9") || h.startsWith("fea")
        || h.startsWith("feb");
  }

  /** RFC 1918 and unique-local literals. */
  static boolean isPrivate(String host) {
    String h = stripBrackets(host).toLowerCase(Locale.ROOT);
    if (h.startsWith("10.") || h.startsWith("192.168.") || h.startsWith("fc") || h.startsWith("fd")) {
      return h.contains(".") || h.contains(":");
    }
    if (h.startsWith("172.")) {
      String[] parts = h.split("\\.");
      try {
        int second = Integer.parseInt(parts[1]);
        return parts.length == 4 && second >= 16 && second <= 31;
      } catch (RuntimeException e) {
        return false;
      }
    }
    return false;
  }

  /** Whether a server at {@code origin} may send us to {@code target}; null if so, else why not. */
  static String refuse(URI origin, URI target) {
    String host = target.getHost();
    if (host == null) {
      return "it has no host";
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return "its scheme is " + scheme;
    }
    if ("https".equals(origin.getScheme()) && scheme.equals("http") && !isLoopback(host)) {
      return "it downgrades https to http";
    }
    if (isLinkLocal(host)) {
      return "it points at a link-local address";
    }
    boolean originLocal = isLoopback(origin.getHost()) || isPrivate(origin.getHost());
    if (!originLocal && (isLoopback(host) || isPrivate(host))) {
      return "a public server points at a private or loopback address";
    }
    return null;
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && effectivePort(a) == effectivePort(b);
  }

  private static int effectivePort(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
