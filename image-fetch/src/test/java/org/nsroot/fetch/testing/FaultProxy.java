package org.nsroot.fetch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP front for the real registry that injects the faults a real network and hostile
 * registries produce (catalogue §D): flipped bytes, connections cut mid-blob, 429/5xx, redirects,
 * a Bearer token service. Everything else passes through unchanged.
 */
public final class FaultProxy implements AutoCloseable {
  private final HttpServer server;
  private final URI upstream;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile String[] bearerUser;
  private volatile String token;
  private volatile String realm;

  /** What to do to matching requests, a number of times. */
  public record Rule(String method, String pathContains, Fault fault, AtomicInteger remaining, Object arg) {}

  public enum Fault { FLIP_BYTE, CUT_AFTER, STATUS, REDIRECT, IGNORE_RANGE, WRONG_RANGE, EXTRA_BYTE, SLOW }

  public FaultProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public FaultProxy add(String method, String pathContains, Fault fault, int times, Object arg) {
    rules.add(new Rule(method, pathContains, fault, new AtomicInteger(times < 0 ? Integer.MAX_VALUE : times), arg));
    return this;
  }

  /** Requires Bearer tokens, issued by {@code /token} for these basic credentials (or anyone if null). */
  public FaultProxy requireBearer(String[] user) {
    return requireBearer(user, null);
  }

  /** As {@link #requireBearer(String[])}, but naming {@code realm} in the challenge (a hostile one, say). */
  public FaultProxy requireBearer(String[] user, String realm) {
    this.bearerUser = user == null ? new String[0] : user;
    this.token = "tok-" + System.nanoTime();
    this.realm = realm;
    return this;
  }

  /** How many requests had a path containing {@code s}. */
  public int hits(String method, String s) {
    return hits.entrySet().stream()
        .filter(e -> e.getKey().startsWith(method + " ") && e.getKey().contains(s))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  private final List<String> ranges = new CopyOnWriteArrayList<>();

  /** Range headers received, with their paths. */
  public List<String> ranges() {
    return ranges;
  }

  private final List<String> tokenQueries = new CopyOnWriteArrayList<>();

  /** The query strings of token requests, in order (service and scope). */
  public List<String> tokenQueries() {
    return tokenQueries;
  }

  /** Authorization headers received, for secret-leak checks. */
  public List<String> authorizations() {
    return authorizations;
  }

  private Rule match(HttpExchange ex) {
    String path = ex.getRequestURI().getPath();
    for (Rule r : rules) {
      if ((r.method == null || r.method.equals(ex.getRequestMethod())) && path.contains(r.pathContains)
          && r.remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        return r;
      }
    }
    return null;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      hits.computeIfAbsent(ex.getRequestMethod() + " " + path, k -> new AtomicInteger()).incrementAndGet();
      String range = ex.getRequestHeaders().getFirst("Range");
      if (range != null) {
        ranges.add(path + " " + range);
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth != null) {
        authorizations.add(auth);
      }
      if (bearerUser != null && path.equals("/token")) {
        tokenQueries.add(String.valueOf(ex.getRequestURI().getRawQuery()));
        serveToken(ex, auth);
        return;
      }
      if (bearerUser != null && !("Bearer " + token).equals(auth)) {
        ex.getResponseHeaders().add("WWW-Authenticate",
            "Bearer realm=\"" + (realm != null ? realm : "http://" + host() + "/token") + "\",service=\"test\"");
        reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"token required\"}]}");
        return;
      }
      Rule rule = match(ex);
      if (rule != null && rule.fault == Fault.STATUS) {
        Object[] a = (Object[]) rule.arg;
        if (a.length > 1 && a[1] != null) {
          ex.getResponseHeaders().add("Retry-After", a[1].toString());
        }
        reply(ex, (Integer) a[0], "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"injected\"}]}");
        return;
      }
      if (rule != null && rule.fault == Fault.REDIRECT) {
        ex.getResponseHeaders().add("Location", rule.arg + ex.getRequestURI().toString());
        ex.sendResponseHeaders(307, -1);
        return;
      }
      forward(ex, rule);
    }
  }

  private void serveToken(HttpExchange ex, String auth) throws IOException {
    String expected = bearerUser.length == 0 ? null
        : "Basic " + Base64.getEncoder().encodeToString((bearerUser[0] + ":" + bearerUser[1]).getBytes(StandardCharsets.UTF_8));
    if (expected != null && !expected.equals(auth)) {
      reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
      return;
    }
    reply(ex, 200, "{\"token\":\"" + token + "\",\"expires_in\":300}");
  }

  private void forward(HttpExchange ex, Rule rule) throws IOException {
    URI target = upstream.resolve(ex.getRequestURI().getRawPath()
        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
    HttpURLConnection c = (HttpURLConnection) target.toURL().openConnection();
    c.setRequestMethod(ex.getRequestMethod());
    c.setInstanceFollowRedirects(false);
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      String name = h.getKey();
      if (name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")
          || (name.equalsIgnoreCase("Authorization") && bearerUser != null)
          || (name.equalsIgnoreCase("Range") && rule != null
              && (rule.fault == Fault.IGNORE_RANGE || rule.fault == Fault.WRONG_RANGE))) {
        continue;
      }
      h.getValue().forEach(v -> c.addRequestProperty(name, v));
    }
    byte[] body = ex.getRequestBody().readAllBytes();
    if (body.length > 0) {
      c.setDoOutput(true);
      c.getOutputStream().write(body);
    }
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    byte[] payload = in == null ? new byte[0] : in.readAllBytes();
    for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
      if (h.getKey() != null && !h.getKey().equalsIgnoreCase("Content-Length")
          && !h.getKey().equalsIgnoreCase("Transfer-Encoding") && !h.getKey().equalsIgnoreCase("Location")) {
        ex.getResponseHeaders().put(h.getKey(), h.getValue());
      }
    }
    String location = c.getHeaderField("Location");
    if (location != null) {
      ex.getResponseHeaders().add("Location", location.replace(upstream.getAuthority(), host()));
    }
    if (rule != null && status < 300) {
      switch (rule.fault) {
        case FLIP_BYTE -> {
          payload = payload.clone();
          payload[payload.length / 2] ^= 0x20;
        }
        case EXTRA_BYTE -> {
          payload = java.util.Arrays.copyOf(payload, payload.length + 1);
        }
        case WRONG_RANGE -> {
          ex.getResponseHeaders().put("Content-Range", List.of("bytes 0-1/2"));
          ex.sendResponseHeaders(206, payload.length);
          ex.getResponseBody().write(payload);
          return;
        }
        case CUT_AFTER -> {
          long cut = ((Number) rule.arg).longValue();
          ex.sendResponseHeaders(status, payload.length);
          OutputStream out = ex.getResponseBody();
          out.write(payload, 0, (int) Math.min(cut, payload.length));
          out.flush();
          // Dropping the connection with bytes still owed is what a dying registry looks like.
          ex.getHttpContext().getServer();
          throw new IOException("cut");
        }
        case SLOW -> {
          // arg: milliseconds to pause after each 64 KiB, so a test can act mid-download
          long pause = ((Number) rule.arg).longValue();
          ex.sendResponseHeaders(status, payload.length);
          OutputStream out = ex.getResponseBody();
          for (int off = 0; off < payload.length; off += 65536) {
            out.write(payload, off, Math.min(65536, payload.length - off));
            out.flush();
            try {
              Thread.sleep(pause);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException("interrupted");
            }
          }
          return;
        }
        default -> { }
      }
    }
    if (ex.getRequestMethod().equals("HEAD")) {
      String len = c.getHeaderField("Content-Length");
      if (len != null) {
        ex.getResponseHeaders().put("Content-Length", List.of(len));
      }
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, payload.length == 0 ? -1 : payload.length);
    if (payload.length > 0) {
      ex.getResponseBody().write(payload);
    }
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
