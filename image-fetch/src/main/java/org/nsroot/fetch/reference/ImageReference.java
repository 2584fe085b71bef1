package org.nsroot.fetch.reference;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.digest.InvalidDigestException;

/**
 * An image reference as docker reads it: {@code [registry/]repository[:tag][@digest]}.
 *
 * <p>{@code comet} means {@code docker.io/library/comet:latest}. The grammar is the distribution
 * project's: references become store paths and URLs, so anything outside it is refused (D3).
 */
public final class ImageReference {
  public static final String DOCKER_HUB = "docker.io";
  private static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";
  private static final String DEFAULT_TAG = "latest";
  private static final int MAX_NAME_LENGTH = 255;

  private static final Pattern PATH_COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern HOST =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
              + "|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

  private final String registry;
  private final String repository;
  private final String tag;
  private final Digest digest;
  private final boolean implicitTag;

  private ImageReference(
      String registry, String repository, String tag, Digest digest, boolean implicitTag) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
    this.implicitTag = implicitTag;
  }

  /**
   * Parses a reference with docker's defaults.
   *
   * @throws InvalidReferenceException naming the part that is wrong
   */
  public static ImageReference parse(String text) throws InvalidReferenceException {
    if (text == null || text.isEmpty()) {
      throw new InvalidReferenceException("empty image reference");
    }
    if (text.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new InvalidReferenceException(
          "invalid image reference '" + printable(text) + "': it contains whitespace or control characters");
    }
    String rest = text;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      try {
        digest = Digest.parse(rest.substring(at + 1));
      } catch (InvalidDigestException e) {
        throw new InvalidReferenceException("invalid image reference '" + printable(text) + "': " + e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidReferenceException(
            "invalid tag '" + printable(tag) + "' in '" + printable(text)
                + "': a tag is 1 to 128 of [A-Za-z0-9_.-] and does not start with '.' or '-'");
      }
    }
    String registry = DOCKER_HUB;
    String path = rest;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String first = rest.substring(0, slash);
      // docker's rule: the first component is a registry when it looks like a host name.
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        if (!HOST.matcher(first).matches()) {
          throw new InvalidReferenceException(
              "invalid registry '" + printable(first) + "' in '" + printable(text) + "'");
        }
        registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
        path = rest.substring(slash + 1);
      }
    }
    if (path.isEmpty()) {
      throw new InvalidReferenceException("invalid image reference '" + printable(text) + "': no repository name");
    }
    for (String component : path.split("/", -1)) {
      if (component.isEmpty()) {
        throw new InvalidReferenceException(
            "invalid repository '" + printable(path) + "' in '" + printable(text) + "': empty path component");
      }
      if (!component.equals(component.toLowerCase(Locale.ROOT))) {
        throw new InvalidReferenceException(
            "invalid repository '" + printable(path) + "' in '" + printable(text) + "': it must be lowercase");
      }
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw new InvalidReferenceException(
            "invalid repository component '" + printable(component) + "' in '" + printable(text)
                + "': use lowercase letters, digits and single separators . _ __ -");
      }
    }
    if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    if ((registry + "/" + path).length() > MAX_NAME_LENGTH) {
      throw new InvalidReferenceException(
          "invalid image reference '" + printable(text) + "': the name is longer than " + MAX_NAME_LENGTH + " characters");
    }
    boolean implicit = tag == null && digest == null;
    return new ImageReference(registry, path, implicit ? DEFAULT_TAG : tag, digest, implicit);
  }

  /** The registry as written, with Docker Hub normalised to {@code docker.io}. */
  public String registry() {
    return registry;
  }

  /** The host (and port) to which API requests go: Docker Hub's API lives elsewhere. */
  public String apiHost() {
    return apiHostOf(registry);
  }

  /** The API host of {@code registry} as {@link #parseRegistry} returns it. */
  public static String apiHostOf(String registry) {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API_HOST : registry;
  }

  /**
   * A registry named on its own, as {@code docker login} takes it: {@code quay.io},
   * {@code localhost:5000}, or a URL such as {@code https://index.docker.io/v1/} (scheme and path
   * are dropped). Docker Hub's names are normalised to {@code docker.io}, as in references.
   */
  public static String parseRegistry(String text) throws InvalidReferenceException {
    String host = text;
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    if (host.isEmpty() || !HOST.matcher(host).matches()) {
      throw new InvalidReferenceException("invalid registry '" + printable(text) + "': expected a host name, "
          + "with an optional port, such as quay.io or localhost:5000");
    }
    host = host.toLowerCase(Locale.ROOT);
    return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? DOCKER_HUB : host;
  }

  public String repository() {
    return repository;
  }

  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  public Optional<Digest> digest() {
    return Optional.ofNullable(digest);
  }

  /** Whether the tag is the {@code latest} docker adds when none was given. */
  public boolean hasImplicitTag() {
    return implicitTag;
  }

  /** The tag or digest to ask the registry for: the digest wins, as in docker. */
  public String qualifier() {
    return digest != null ? digest.toString() : tag;
  }

  /** {@code registry/repository}, without tag or digest. */
  public String name() {
    return registry + "/" + repository;
  }

  /** Whether the registry is this machine (plain HTTP is allowed there). */
  public boolean isLoopbackRegistry() {
    return Hosts.isLoopback(Hosts.hostOf(registry));
  }

  private static String printable(String s) {
    String cut = s.length() > 100 ? s.substring(0, 100) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  /** The canonical form: {@code registry/repository[:tag][@digest]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name());
    if (tag != null) {
      sb.append(':').append(tag);
    }
    if (digest != null) {
      sb.append('@').append(digest);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageReference r
        && r.registry.equals(registry)
        && r.repository.equals(repository)
        && Objects.equals(r.tag, tag)
        && Objects.equals(r.digest, digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registry, repository, tag, digest);
  }
}
