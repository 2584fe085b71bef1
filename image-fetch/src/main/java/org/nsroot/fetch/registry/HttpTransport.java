package org.nsroot.fetch.registry;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.nsroot.fetch.reference.Hosts;

/**
 * Sends one request to a registry host and follows redirects by our own rules.
 *
 * <p>The scheme is HTTPS, verified. Plain HTTP is used only for a loopback registry that does not
 * speak TLS, or where the user said {@code --insecure}; a certificate that does not verify is an
 * error, never a reason to fall back (D9). Redirects drop the Authorization header when they leave
 * the origin, may not downgrade to HTTP or point a public server at private addresses, and are
 * capped (D7). HttpURLConnection is used for its keep-alive pool and real read timeouts, which
 * end a stalled download (D11).
 */
final class HttpTransport {
  private static final int MAX_REDIRECTS = 10;

  private final String hostPort;
  private final boolean loopback;
  private final ClientOptions options;
  private final Map<String, SSLContext> tls = new HashMap<>();
  private volatile String scheme;
  /** False until the first answer tells which scheme a loopback or insecure registry speaks. */
  private volatile boolean settled;

  HttpTransport(String hostPort, ClientOptions options) throws RegistryException {
    this.hostPort = hostPort;
    this.loopback = Hosts.isLoopback(Hosts.hostOf(hostPort));
    this.options = options;
    // A registry on this machine usually speaks plain HTTP (docker's own convention), and some
    // plain servers never answer a TLS hello; so loopback tries HTTP first and moves to HTTPS when
    // the server says it wants TLS. Everywhere else it is HTTPS, and HTTP only with --insecure.
    this.scheme = loopback ? "http" : "https";
    this.settled = !(loopback || options.insecure());
  }

  String hostPort() {
    return hostPort;
  }

  /** The base of API URLs as currently known, such as {@code https://quay.io}. */
  URI base() {
    return URI.create(scheme + "://" + hostPort);
  }

  /** Whether credentials may go to {@code uri}: over TLS, or to this machine. */
  boolean mayCarryCredentials(URI uri) {
    return "https".equalsIgnoreCase(uri.getScheme()) || Hosts.isLoopback(uri.getHost());
  }

  /**
   * Sends a request to {@code path} on the registry, with {@code authorization} for the
   * registry's own origin only.
   */
  HttpResponse send(String method, String path, Map<String, String> headers, String authorization)
      throws IOException, RegistryException {
    if (settled) {
      return sendOrExplain(method, URI.create(scheme + "://" + hostPort + path), headers, authorization);
    }
    synchronized (this) {
      if (!settled) {
        return probe(method, path, headers, authorization);
      }
    }
    return send(method, path, headers, authorization);
  }

  /** The first request to a registry whose scheme is not known yet. */
  private HttpResponse probe(String method, String path, Map<String, String> headers, String authorization)
      throws IOException, RegistryException {
    String first = scheme;
    String other = first.equals("http") ? "https" : "http";
    try {
      HttpResponse r = sendFollowing(method, URI.create(first + "://" + hostPort + path), headers, authorization);
      if (!(first.equals("http") && r.status() == 400 && wantsTls(r))) {
        settled = true;
        return r;
      }
    } catch (SSLException e) {
      if (isCertificateProblem(e)) {
        throw untrusted(e);
      }
    } catch (IOException e) {
      // A TLS server that drops a plain request, or a plain server that drops a TLS hello.
    }
    scheme = other;
    settled = true;
    return sendOrExplain(method, URI.create(other + "://" + hostPort + path), headers, authorization);
  }

  private static boolean wantsTls(HttpResponse r) {
    try {
      String body = new String(r.bodyBytes(4096), StandardCharsets.UTF_8);
      return body.toLowerCase(Locale.ROOT).contains("https");
    } catch (IOException e) {
      return true;
    }
  }

  private HttpResponse sendOrExplain(String method, URI uri, Map<String, String> headers, String authorization)
      throws IOException, RegistryException {
    try {
      return sendFollowing(method, uri, headers, authorization);
    } catch (SSLException e) {
      if (isCertificateProblem(e)) {
        throw untrusted(e);
      }
      throw e;
    }
  }

  private RegistryUnavailableException untrusted(SSLException e) {
    return new RegistryUnavailableException(
        "the TLS certificate of " + hostPort + " is not trusted (" + rootMessage(e) + "); put its CA "
            + "certificate in ~/.docker/certs.d/" + hostPort + "/ca.crt or pass --ca-cert FILE"
            + (loopback ? "" : " (or --insecure to skip verification)"));
  }

  /** Sends a request to an absolute URL the registry gave us (a token realm). */
  HttpResponse sendTo(String method, URI uri, Map<String, String> headers, String authorization, byte[] body)
      throws IOException, RegistryException {
    return sendFollowingWithBody(method, uri, headers, authorization, body);
  }

  private HttpResponse sendFollowing(String method, URI uri, Map<String, String> headers, String authorization)
      throws IOException, RegistryException {
    return sendFollowingWithBody(method, uri, headers, authorization, null);
  }

  private HttpResponse sendFollowingWithBody(
      String method, URI uri, Map<String, String> headers, String authorization, byte[] body)
      throws IOException, RegistryException {
    URI origin = uri;
    URI current = uri;
    String auth = authorization;
    for (int hop = 0; ; hop++) {
      HttpURLConnection conn = open(current);
      conn.setRequestMethod(method);
      conn.setInstanceFollowRedirects(false);
      conn.setConnectTimeout((int) options.connectTimeout().toMillis());
      conn.setReadTimeout((int) options.readTimeout().toMillis());
      conn.setRequestProperty("User-Agent", "nsroot");
      headers.forEach(conn::setRequestProperty);
      if (auth != null && mayCarryCredentials(current)) {
        conn.setRequestProperty("Authorization", auth);
      }
      if (body != null) {
        conn.setDoOutput(true);
        conn.getOutputStream().write(body);
      }
      int status = conn.getResponseCode();
      if (status < 300 || status >= 400 || status == 304) {
        return new HttpResponse(conn, status, current);
      }
      String location = conn.getHeaderField("Location");
      new HttpResponse(conn, status, current).close();
      if (location == null) {
        throw new RegistryException(Redact.url(current) + " answered " + status + " without a Location");
      }
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryException("too many redirects from " + Redact.url(origin));
      }
      URI next = current.resolve(location);
      // --insecure may take the registry itself down to HTTP, never a CDN it redirects to.
      String refusal = AddressPolicy.refuse(current, next, options.insecure() && isRegistry(next));
      if (refusal != null) {
        throw new RegistryException(
            "refusing the redirect from " + Redact.url(current) + " to " + Redact.url(next) + ": " + refusal);
      }
      if (status == 301 || status == 302 || status == 303) {
        method = "GET"; // what browsers and curl do; a 307 or 308 keeps the method and body
        body = null;
      }
      if (!AddressPolicy.sameOrigin(origin, next)) {
        auth = null; // credentials belong to the registry, never to a CDN or another host
        if (body != null) {
          // A body may be a secret (an identity token is POSTed to the token service).
          throw new RegistryException("refusing to resend a request body from " + Redact.url(current)
              + " to another host, " + Redact.url(next));
        }
      }
      current = next;
    }
  }

  /** Whether {@code uri} is on the registry's own host and port (what --insecure is about). */
  private boolean isRegistry(URI uri) {
    return hostPortOf(uri).equalsIgnoreCase(hostPort) || (uri.getPort() == 443 && uri.getHost().equalsIgnoreCase(hostPort));
  }

  private static String hostPortOf(URI uri) {
    return uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
  }

  private HttpURLConnection open(URI uri) throws IOException, RegistryException {
    HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection();
    if (conn instanceof HttpsURLConnection https) {
      // --insecure is about the registry: its token service and CDNs are still verified.
      String target = hostPortOf(uri);
      boolean registry = isRegistry(uri);
      https.setSSLSocketFactory(tls(registry ? hostPort : target, registry && options.insecure()).getSocketFactory());
      if (registry && options.insecure()) {
        https.setHostnameVerifier((host, session) -> true);
      }
    }
    return conn;
  }

  /**
   * The TLS context for a host, built on first use (reading the JDK's CA certificates costs a
   * third of a second): its docker certs.d CAs and --ca-cert are trusted besides the JDK's. Built
   * once, under the lock: parallel downloads redirected to one CDN would otherwise each build it.
   */
  private synchronized SSLContext tls(String target, boolean anything) throws RegistryException {
    String key = anything ? "*" : target;
    SSLContext ctx = tls.get(key);
    if (ctx == null) {
      ctx = anything ? TlsTrust.trustingAnything() : TlsTrust.verifying(target, options.caCertificate(), options.env());
      tls.put(key, ctx);
    }
    return ctx;
  }

  static boolean isCertificateProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
        return true;
      }
      String m = t.getMessage();
      if (t instanceof SSLHandshakeException && m != null
          && (m.contains("PKIX") || m.contains("certificate") || m.contains("No subject alternative"))) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
