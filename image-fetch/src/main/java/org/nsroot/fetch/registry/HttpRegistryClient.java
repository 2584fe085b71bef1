package org.nsroot.fetch.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.digest.InvalidDigestException;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.Json;
import org.nsroot.fetch.manifest.ManifestParser;
import org.nsroot.fetch.manifest.MediaTypes;
import org.nsroot.fetch.store.BlobSink;
import org.nsroot.fetch.store.BlobWriter;

/**
 * The registry client of nsroot, on the JDK's HTTP stack.
 *
 * <p>Jib's {@code RegistryClient} was the plan (DESIGN.md), but it cannot serve a content-addressed
 * store: it discards a manifest's bytes after parsing (so the manifest cannot be stored under its
 * digest), checks manifests with GET (which counts against Docker Hub's rate limit), cannot resume
 * a blob, ignores Retry-After, and its insecure mode trusts any certificate of any host. Jib still
 * reads docker's config and credential helpers for us ({@code auth.CredentialResolver}).
 */
public final class HttpRegistryClient implements RegistryClient {
  private static final int MAX_ERROR_BYTES = 1 << 20;
  private static final int MAX_TAGS_BYTES = 4 << 20;
  private static final long PROGRESS_THAT_COUNTS = 1 << 20;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

  private final String registry;
  private final HttpTransport transport;
  private final Authenticator auth;
  private final RetryPolicy retry;

  /**
   * @param registry the registry as written in references (for messages and credentials)
   * @param apiHost the host and port that serve its API
   */
  public HttpRegistryClient(String registry, String apiHost, ClientOptions options) throws RegistryException {
    this.registry = registry;
    this.transport = new HttpTransport(apiHost, options);
    this.auth = new Authenticator(registry, transport, options);
    this.retry = options.retry();
  }

  @Override
  public String registry() {
    return registry;
  }

  @Override
  public FetchedManifest getManifest(String repository, String qualifier) throws FetchException {
    String what = registry + "/" + repository + (qualifier.contains(":") ? "@" : ":") + qualifier;
    try (HttpResponse r = call("GET", repository, manifestPath(repository, qualifier), acceptManifests(), what)) {
      expectOk(r, what);
      byte[] raw = r.bodyBytes(ManifestParser.MAX_MANIFEST_BYTES);
      // Pinned by digest, the bytes must hash to it; by tag, to what the registry announces.
      boolean pinned = qualifier.contains(":");
      String announced = r.header("Docker-Content-Digest");
      Digest expected = pinned ? Digest.parse(qualifier)
          : announced != null && !announced.isBlank() ? Digest.parse(announced.trim()) : null;
      String algorithm = expected == null ? "sha256" : expected.algorithm();
      Digest actual = Digest.fromHasher(algorithm, Digest.newHasher(algorithm).digest(raw));
      if (expected != null && !actual.equals(expected)) {
        throw new ContentMismatchException(pinned
            ? "digest mismatch for the manifest " + qualifier + " from " + registry + "/" + repository
                + ": the bytes received hash to " + actual
            : "digest mismatch for the manifest of " + what + ": the registry announced " + expected
                + " but the bytes hash to " + actual);
      }
      return new FetchedManifest(raw, r.header("Content-Type"), actual);
    } catch (HttpResponse.BodyTooLargeException e) {
      throw new RegistryException("the manifest of " + what + " exceeded the maximum allowed size");
    } catch (IOException e) {
      throw unavailable(what, e);
    }
  }

  @Override
  public Optional<Digest> headManifest(String repository, String qualifier) throws FetchException {
    String what = registry + "/" + repository + ":" + qualifier;
    try (HttpResponse r = call("HEAD", repository, manifestPath(repository, qualifier), acceptManifests(), what)) {
      expectOk(r, what);
      String announced = r.header("Docker-Content-Digest");
      if (announced == null || announced.isBlank()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Digest.parse(announced.trim()));
      } catch (InvalidDigestException e) {
        return Optional.empty(); // a GET follows, and verifies what it gets
      }
    }
  }

  @Override
  public void getBlob(String repository, Descriptor blob, BlobSink sink, LongConsumer progress)
      throws FetchException, IOException {
    String what = "blob " + blob.digest() + " of " + registry + "/" + repository;
    String path = "/v2/" + repository + "/blobs/" + blob.digest();
    int fruitless = 0;
    boolean rangeUnreliable = false;
    while (true) {
      long start = sink.offset();
      if (start >= blob.size()) {
        return; // everything is here; the commit verifies it
      }
      try {
        Map<String, String> headers = new LinkedHashMap<>();
        if (start > 0 && !rangeUnreliable) {
          headers.put("Range", "bytes=" + start + "-");
        }
        try (HttpResponse r = call("GET", repository, path, headers, what)) {
          expectOk(r, what);
          long skip = 0;
          if (r.status() == 206 && !rangeMatches(r, start, blob.size())) {
            // A wrong Content-Range must not be stitched onto what we have (D11): ask for the
            // whole blob next time and skip what we hold.
            rangeUnreliable = true;
            throw new IOException("the registry answered a resumed download with a wrong Content-Range");
          }
          if (r.status() == 200) {
            skip = start; // the registry ignored Range: skip what we already have
          }
          copy(r.body(), sink, skip, progress);
        }
        if (sink.offset() >= blob.size()) {
          return;
        }
        throw new IOException("the connection closed after " + sink.offset() + " of " + blob.size() + " bytes");
      } catch (BlobWriter.SizeExceededException e) {
        throw new ContentMismatchException("size mismatch for " + what + ": " + e.getMessage());
      } catch (SinkFailure e) {
        throw e.local; // a full disk is not a network problem: retrying would not help
      } catch (IOException e) {
        fruitless = sink.offset() - start >= PROGRESS_THAT_COUNTS ? 0 : fruitless + 1;
        if (fruitless >= retry.maxAttempts()) {
          throw unavailable(what, e);
        }
        RetryPolicy.sleep(retry.backoff(fruitless));
      }
    }
  }

  private static boolean rangeMatches(HttpResponse r, long start, long size) {
    List<String> ranges = r.headers("Content-Range");
    if (ranges.size() != 1) {
      return false;
    }
    Matcher m = CONTENT_RANGE.matcher(ranges.get(0).trim());
    return m.matches()
        && Long.parseLong(m.group(1)) == start
        && Long.parseLong(m.group(2)) == size - 1
        && (m.group(3).equals("*") || Long.parseLong(m.group(3)) == size);
  }

  private static void copy(InputStream in, BlobSink sink, long skip, LongConsumer progress) throws IOException {
    byte[] buf = new byte[1 << 16];
    long toSkip = skip;
    int n;
    while ((n = in.read(buf)) >= 0) {
      int off = 0;
      if (toSkip > 0) {
        int s = (int) Math.min(toSkip, n);
        toSkip -= s;
        off = s;
      }
      if (n - off > 0) {
        try {
          sink.write(buf, off, n - off);
        } catch (BlobWriter.SizeExceededException e) {
          throw e;
        } catch (IOException e) {
          throw new SinkFailure(e);
        }
        progress.accept(n - off);
      }
    }
  }

  /** Marks a failure of the local sink inside the network copy loop. */
  private static final class SinkFailure extends IOException {
    final IOException local;

    SinkFailure(IOException local) {
      super(local.getMessage(), local);
      this.local = local;
    }
  }

  @Override
  public List<String> listTags(String repository) throws FetchException {
    String what = registry + "/" + repository;
    try (HttpResponse r = call("GET", repository, "/v2/" + repository + "/tags/list?n=1000", Map.of(), what)) {
      expectOk(r, what);
      JsonNode tags = Json.read(r.bodyBytes(MAX_TAGS_BYTES)).path("tags");
      List<String> out = new ArrayList<>();
      tags.forEach(t -> out.add(t.asText()));
      return out;
    } catch (IOException e) {
      throw unavailable(what, e);
    }
  }

  /**
   * Checks that the registry accepts this client's credentials, as {@code docker login} does: a GET
   * of the API's root, answering the registry's challenge. A registry that asks for nothing passes.
   *
   * @throws RegistryAuthException when the registry or its token service refuses the credentials
   */
  public void checkCredentials() throws FetchException {
    try (HttpResponse r = call("GET", "", "/v2/", Map.of(), registry)) {
      if (r.status() == 401 || r.status() == 403) {
        throw new RegistryAuthException(registry + " refused the login"
            + auth.credentialIfAny().map(c -> " of " + c.username()).orElse("") + " (" + r.status()
            + "): wrong user name or password?");
      }
      expectOk(r, registry);
    }
  }

  /**
   * Sends a request, answering one authentication challenge and retrying transient failures with
   * backoff. Returns the final answer, whatever its status.
   */
  private HttpResponse call(String method, String repository, String path, Map<String, String> headers, String what)
      throws FetchException {
    boolean challenged = false;
    int attempt = 1;
    while (true) {
      HttpResponse r;
      try {
        r = transport.send(method, path, headers, auth.headerFor(repository));
      } catch (UnknownHostException e) {
        throw new RegistryUnavailableException(
            "cannot resolve " + e.getMessage() + " (for " + what + "): check the registry name and your network");
      } catch (IOException e) {
        int limit = e instanceof ConnectException ? Math.min(3, retry.maxAttempts()) : retry.maxAttempts();
        if (attempt >= limit) {
          throw unavailable(what, e);
        }
        RetryPolicy.sleep(retry.backoff(attempt++));
        continue;
      }
      if (r.status() == 401 && !challenged) {
        String challenge = r.header("WWW-Authenticate");
        r.close();
        auth.answer(challenge, repository);
        challenged = true;
        continue;
      }
      if (retry.isRetryable(r.status()) && attempt < retry.maxAttempts()) {
        Duration delay = retry.delayFor(r.header("Retry-After"), attempt);
        if (delay != null) {
          r.close();
          RetryPolicy.sleep(delay);
          attempt++;
          continue;
        }
      }
      return r;
    }
  }

  /** Turns a final non-2xx answer into the error that says what to do. */
  private void expectOk(HttpResponse r, String what) throws FetchException {
    int s = r.status();
    if (s >= 200 && s < 300) {
      return;
    }
    String code = "";
    String detail = "";
    try {
      JsonNode errors = Json.read(r.bodyBytes(MAX_ERROR_BYTES)).path("errors");
      if (errors.isArray() && errors.size() > 0) {
        code = errors.get(0).path("code").asText("");
        detail = errors.get(0).path("message").asText("");
      }
    } catch (IOException | RuntimeException ignored) {
      // Not JSON (or a HEAD, which has no body): the status says enough.
    }
    r.close();
    switch (s) {
      case 401, 403 -> throw new RegistryAuthException(
          auth.credentialIfAny().isPresent()
              ? "access to " + what + " denied for the " + auth.credentialIfAny().get() + " (" + s + ")"
              : what + " requires authentication or does not exist (" + s + "): run nsroot login "
                  + registry + " or pass --creds USER:PASS");
      case 404 -> throw new RegistryNotFoundException(
          what + " not found" + (detail.isEmpty() ? "" : " (" + detail.toLowerCase(Locale.ROOT) + ")"), code);
      case 429 -> throw new RegistryUnavailableException(
          "rate limit of " + registry + " reached for " + what + "; wait and retry, or log in (nsroot login "
              + registry + " or --creds) for a higher limit");
      default -> {
        if (s >= 500) {
          throw new RegistryUnavailableException(registry + " failed (" + s + ") for " + what + " after "
              + retry.maxAttempts() + " attempts; try again later");
        }
        throw new RegistryException(registry + " answered " + s + " for " + what
            + (detail.isEmpty() ? "" : ": " + detail));
      }
    }
  }

  private RegistryUnavailableException unavailable(String what, IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new RegistryUnavailableException("cannot fetch " + what + " from " + registry + ": " + reason, e);
  }

  private static String manifestPath(String repository, String qualifier) {
    return "/v2/" + repository + "/manifests/" + qualifier;
  }

  private static Map<String, String> acceptManifests() {
    List<String> types = new ArrayList<>(MediaTypes.ACCEPTED_MANIFESTS);
    // Asked for last, so that a schema-1-only image gets a clear error instead of a 404.
    types.add(MediaTypes.DOCKER_SCHEMA1_SIGNED);
    types.add(MediaTypes.DOCKER_SCHEMA1);
    return Map.of("Accept", String.join(", ", types));
  }
}
