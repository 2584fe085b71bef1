package org.nsroot.fetch.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and secret for one registry, and where it came from (for messages). The secret never
 * appears in {@link #toString()} (catalogue D12, INV-5).
 */
public record RegistryCredential(String username, String secret, String source) {

  /** The value of an HTTP Basic Authorization header. */
  public String basicHeader() {
    return "Basic "
        + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  /** Docker's {@code <token>} user means the secret is an identity token, not a password. */
  public boolean isIdentityToken() {
    return "<token>".equals(username);
  }

  @Override
  public String toString() {
    return "credentials of " + username + " from " + source;
  }
}
