package org.nsroot.fetch.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.auth.RegistryCredential;
import org.nsroot.fetch.manifest.Json;
import org.nsroot.fetch.reference.Hosts;

/**
 * Answers a registry's 401 challenge: Basic with the user's credentials, or a Bearer token from the
 * realm the registry names (docker's token flow). Tokens are cached per repository.
 *
 * <p>The realm comes from the server, so it is checked before anything is sent there (D8): TLS
 * unless the realm is on this machine or the registry is marked insecure, and never a link-local or
 * (from a public registry) private address. Credentials are sent over plain HTTP only to loopback.
 */
final class Authenticator {
  private static final int MAX_TOKEN_BYTES = 1 << 20;

  private final String registry;
  private final HttpTransport transport;
  private final ClientOptions options;
  private final Map<String, String> headers = new ConcurrentHashMap<>();
  private volatile Optional<RegistryCredential> credential;

  Authenticator(String registry, HttpTransport transport, ClientOptions options) {
    this.registry = registry;
    this.transport = transport;
    this.options = options;
  }

  /** The Authorization header to send for {@code repository}, if we have one. */
  String headerFor(String repository) {
    String h = headers.get(repository);
    return h != null ? h : headers.get("");
  }

  /** Whether credentials were found for this registry (they decide the wording of errors). */
  Optional<RegistryCredential> credentialIfAny() {
    return credential == null ? Optional.empty() : credential;
  }

  /**
   * Obtains a header that answers {@code challengeHeader} for {@code repository}.
   *
   * @throws RegistryAuthException when the challenge cannot be met
   */
  String answer(String challengeHeader, String repository) throws FetchException {
    AuthChallenge challenge = AuthChallenge.parse(challengeHeader);
    if (challenge == null) {
      throw new RegistryAuthException(
          registry + "/" + repository + " refused access (401) without saying how to authenticate");
    }
    if (challenge.isBasic()) {
      RegistryCredential c = credential(repository).orElseThrow(() -> new RegistryAuthException(
          registry + "/" + repository + " requires a user name and password: run nsroot login " + registry
              + ", or pass --creds USER:PASS (or set NSROOT_REGISTRY_USER and NSROOT_REGISTRY_PASSWORD)"));
      if (!transport.mayCarryCredentials(transport.base())) {
        throw new RegistryAuthException(
            registry + " asks for a password over plain HTTP; nsroot sends credentials over HTTP only to this machine");
      }
      String header = c.basicHeader();
      headers.put("", header);
      return header;
    }
    if (challenge.isBearer()) {
      String header = "Bearer " + token(challenge, repository);
      headers.put(repository, header);
      return header;
    }
    throw new RegistryAuthException(registry + " asks for unsupported authentication '" + challenge.scheme() + "'");
  }

  private Optional<RegistryCredential> credential(String repository) throws FetchException {
    if (credential == null) {
      credential = options.credentials() == null
          ? Optional.empty()
          : options.credentials().forRegistry(registry, repository);
    }
    return credential;
  }

  private String token(AuthChallenge challenge, String repository) throws FetchException {
    String realmText = challenge.params().get("realm");
    if (realmText == null || realmText.isEmpty()) {
      throw new RegistryAuthException(registry + " asks for a token but names no realm to get it from");
    }
    URI realm;
    try {
      realm = URI.create(realmText);
    } catch (IllegalArgumentException e) {
      throw new RegistryAuthException(registry + " names an invalid token realm");
    }
    checkRealm(realm);
    // No repository (a login's check of /v2/): no scope, and the token only proves the password.
    String scope = challenge.params().get("scope");
    if (scope == null && !repository.isEmpty()) {
      scope = "repository:" + repository + ":pull";
    }
    String service = challenge.params().get("service");
    Optional<RegistryCredential> c = credential(repository);
    boolean sendCredential = c.isPresent() && transport.mayCarryCredentials(realm);
    StringBuilder query = new StringBuilder();
    if (service != null) {
      query.append("service=").append(enc(service));
    }
    if (scope != null) {
      query.append(query.length() > 0 ? "&" : "").append("scope=").append(enc(scope));
    }
    try {
      HttpResponse response;
      if (sendCredential && c.get().isIdentityToken()) {
        String form = query + (query.length() > 0 ? "&" : "") + "grant_type=refresh_token&client_id=nsroot&refresh_token="
            + enc(c.get().secret());
        response = transport.sendTo("POST", realm, Map.of("Content-Type", "application/x-www-form-urlencoded"), null,
            form.getBytes(StandardCharsets.UTF_8));
      } else {
        URI withQuery = query.length() == 0 ? realm : URI.create(realm + (realm.getRawQuery() == null ? "?" : "&") + query);
        response = transport.sendTo("GET", withQuery, Map.of(), sendCredential ? c.get().basicHeader() : null, null);
      }
      try (response) {
        if (response.status() == 401 || response.status() == 403) {
          throw new RegistryAuthException(
              c.isPresent()
                  ? "authentication to " + registry + " failed with the " + c.get() + ": wrong user name or password?"
                  : registry + "/" + repository + " requires authentication (or does not exist): run nsroot login "
                      + registry + " or pass --creds USER:PASS");
        }
        if (response.status() != 200) {
          throw new RegistryUnavailableException(
              "the token service of " + registry + " answered " + response.status());
        }
        JsonNode json = Json.read(response.bodyBytes(MAX_TOKEN_BYTES));
        String token = json.path("token").asText("");
        if (token.isEmpty()) {
          token = json.path("access_token").asText("");
        }
        if (token.isEmpty()) {
          throw new RegistryAuthException("the token service of " + registry + " sent no token");
        }
        return token;
      }
    } catch (IOException e) {
      throw new RegistryUnavailableException(
          "cannot get a token from " + Redact.url(realm) + " for " + registry + ": " + e.getMessage(), e);
    }
  }

  private void checkRealm(URI realm) throws RegistryAuthException {
    // A token service is asked over TLS, unless it is on this machine or the user said --insecure;
    // beyond that, the same rules as any place a registry sends us.
    String why = AddressPolicy.refuse(transport.base(), realm, options.insecure());
    if (why == null && "http".equalsIgnoreCase(realm.getScheme()) && !options.insecure()
        && !Hosts.isLoopback(realm.getHost())) {
      why = "it is not https";
    }
    if (why != null) {
      throw new RegistryAuthException(
          "refusing the token realm " + Redact.url(realm) + " named by " + registry + ": " + why);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
