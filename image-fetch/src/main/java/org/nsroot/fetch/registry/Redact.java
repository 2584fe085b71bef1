package org.nsroot.fetch.registry;

import java.net.URI;

/** Makes URLs safe to print: no user info, no query (presigned URLs carry signatures, D12). */
public final class Redact {
  private Redact() {}

  public static String url(URI uri) {
    StringBuilder sb = new StringBuilder();
    sb.append(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() >= 0) {
      sb.append(':').append(uri.getPort());
    }
    sb.append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      sb.append("?…");
    }
    return sb.toString();
  }
}
