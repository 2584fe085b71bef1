package org.nsroot.fetch.registry;

import java.net.URI;
import java.util.Locale;
import org.nsroot.fetch.reference.Hosts;

/**
 * Where a registry may send us: token realms and redirects come from the server, so they are
 * checked before any request or credential goes there (catalogue D7, D8): no downgrade from HTTPS,
 * no link-local address, and from a public server no private or loopback one.
 */
final class AddressPolicy {
  private AddressPolicy() {}

  /**
   * Whether a server at {@code origin} may send us to {@code target}; null if so, else why not.
   *
   * @param allowDowngrade the user said {@code --insecure}: https to http is allowed
   */
  static String refuse(URI origin, URI target, boolean allowDowngrade) {
    String host = target.getHost();
    if (host == null) {
      return "it has no host";
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return "its scheme is " + scheme;
    }
    if ("https".equalsIgnoreCase(origin.getScheme()) && scheme.equals("http") && !allowDowngrade
        && !Hosts.isLoopback(host)) {
      return "it downgrades https to http";
    }
    if (Hosts.isMalformedLiteral(host)) {
      return "it is not a valid address";
    }
    if (Hosts.isLinkLocal(host)) {
      return "it points at a link-local address";
    }
    String from = origin.getHost();
    boolean originLocal = Hosts.isLoopback(from) || Hosts.isPrivate(from);
    if (!originLocal && (Hosts.isLoopback(host) || Hosts.isPrivate(host))) {
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
}
