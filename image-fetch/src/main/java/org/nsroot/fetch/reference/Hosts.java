package org.nsroot.fetch.reference;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * What kind of address a host is, judged without a DNS lookup: plain HTTP and credentials over it
 * are allowed only for this machine, and registries may not send us to private or link-local
 * addresses. Names are judged as names ({@code localhost} is this machine, any other name is
 * public); literals — dotted, bare-number ({@code 2852039166}) or IPv6, IPv4-mapped included — by
 * the range they fall in.
 */
public final class Hosts {
  private Hosts() {}

  /** Whether {@code host} is this machine. */
  public static boolean isLoopback(String host) {
    String h = bare(host).toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    return literal(h).map(InetAddress::isLoopbackAddress).orElse(false);
  }

  /** Link-local addresses: 169.254/16 (cloud metadata services) and fe80::/10. */
  public static boolean isLinkLocal(String host) {
    return literal(bare(host)).map(InetAddress::isLinkLocalAddress).orElse(false);
  }

  /**
   * Private networks: RFC 1918, carrier-grade NAT 100.64/10 (some clouds' metadata services live
   * there), IPv6 unique-local fc00::/7 and site-local, and the unspecified address (0.0.0.0 reaches
   * this machine).
   */
  public static boolean isPrivate(String host) {
    Optional<InetAddress> a = literal(bare(host));
    if (a.isEmpty()) {
      return false;
    }
    InetAddress ip = a.get();
    byte[] b = ip.getAddress();
    boolean cgnat = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    boolean uniqueLocal = ip instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
    return ip.isSiteLocalAddress() || ip.isAnyLocalAddress() || cgnat || uniqueLocal;
  }

  /** A host made only of digits and dots that is no valid address: refused, not resolved. */
  public static boolean isMalformedLiteral(String host) {
    String h = bare(host);
    return h.matches("[0-9.]+") && literal(h).isEmpty();
  }

  /** The host of {@code host[:port]}, IPv6 brackets removed. */
  public static String hostOf(String hostPort) {
    if (hostPort.startsWith("[")) {
      return hostPort.substring(1, hostPort.indexOf(']'));
    }
    int colon = hostPort.lastIndexOf(':');
    return colon >= 0 ? hostPort.substring(0, colon) : hostPort;
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The address a literal host denotes, as the JDK would connect to it; empty for names. */
  static Optional<InetAddress> literal(String host) {
    try {
      if (host.indexOf(':') >= 0) {
        // With a colon it can only be an IPv6 literal: getByName parses it and never resolves.
        return Optional.of(InetAddress.getByName("[" + host + "]"));
      }
      if (host.matches("[0-9.]+")) {
        byte[] v4 = ipv4(host);
        return v4 == null ? Optional.empty() : Optional.of(InetAddress.getByAddress(v4));
      }
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The JDK's IPv4 forms: a.b.c.d, a.b.c (c 16 bits), a.b (b 24 bits), a (32 bits), decimal. */
  private static byte[] ipv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long[] v = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isEmpty() || parts[i].length() > 10) {
        return null;
      }
      v[i] = Long.parseLong(parts[i]);
    }
    long value = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (v[i] > 255) {
        return null;
      }
      value |= v[i] << (24 - 8 * i);
    }
    long lastBits = 8L * (4 - (parts.length - 1));
    long last = v[parts.length - 1];
    if (last >= (1L << lastBits)) {
      return null;
    }
    value |= last;
    return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
  }
}
