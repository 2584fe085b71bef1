package org.nsroot.fetch.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.nsroot.fetch.auth.CredentialResolver;

/**
 * How to talk to a registry.
 *
 * @param insecure the user's explicit {@code --insecure}: plain HTTP or unverified TLS for the registry (its token service and CDNs are still verified)
 * @param caCertificate an extra CA to trust, or null
 * @param credentials where credentials come from, when a registry asks
 * @param env the environment (docker's certs.d lives under $HOME)
 */
public record ClientOptions(
    boolean insecure,
    Path caCertificate,
    CredentialResolver credentials,
    RetryPolicy retry,
    Duration connectTimeout,
    Duration readTimeout,
    Map<String, String> env) {

  public static ClientOptions defaults(CredentialResolver credentials) {
    return new ClientOptions(
        false, null, credentials, RetryPolicy.defaults(), Duration.ofSeconds(15), Duration.ofSeconds(60), System.getenv());
  }

  public ClientOptions withInsecure(boolean value) {
    return new ClientOptions(value, caCertificate, credentials, retry, connectTimeout, readTimeout, env);
  }

  public ClientOptions withCaCertificate(Path value) {
    return new ClientOptions(insecure, value, credentials, retry, connectTimeout, readTimeout, env);
  }

  public ClientOptions withRetry(RetryPolicy value) {
    return new ClientOptions(insecure, caCertificate, credentials, value, connectTimeout, readTimeout, env);
  }

  public ClientOptions withReadTimeout(Duration value) {
    return new ClientOptions(insecure, caCertificate, credentials, retry, connectTimeout, value, env);
  }

  public ClientOptions withEnv(Map<String, String> value) {
    return new ClientOptions(insecure, caCertificate, credentials, retry, connectTimeout, readTimeout, value);
  }
}
