package org.nsroot.fetch.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.nsroot.fetch.manifest.Json;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.store.Durable;

/**
 * Docker's client config ({@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}),
 * where {@code nsroot login} keeps credentials exactly as {@code docker login} does, so that each
 * tool (and skopeo, podman, Jib) reads what the other wrote: in the credential helper the file
 * names for the registry, else base64 in {@code auths}. Everything else in the file is kept as it
 * was; the file is replaced atomically and stays private (0600), as a file holding passwords must.
 */
public final class DockerConfig {
  /** The key docker files Docker Hub's credentials under (its v1 index, for history's sake). */
  static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
  private static final int MAX_CONFIG_BYTES = 4 << 20;

  private final Path file;
  private final Map<String, String> env;

  /**
   * @param env the environment: where the file is ($DOCKER_CONFIG, $HOME) and where credential
   *     helpers are found ($PATH)
   */
  public DockerConfig(Map<String, String> env) {
    this.file = locate(env);
    this.env = env;
  }

  /** The config file docker would use in {@code env}. */
  static Path locate(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    if (dir != null && !dir.isEmpty()) {
      return Paths.get(dir, "config.json");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Paths.get(home, ".docker", "config.json");
  }

  public Path file() {
    return file;
  }

  /** The key of {@code registry} (as {@link ImageReference#parseRegistry} returns it) in the file. */
  static String keyOf(String registry) {
    return registry.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_KEY : registry;
  }

  /**
   * Saves credentials for {@code registry}: through its credential helper if the file names one,
   * else in the file. Returns where they went, for the user.
   */
  public String store(String registry, RegistryCredential credential) throws AuthConfigException {
    ObjectNode root = read();
    String key = keyOf(registry);
    Optional<CredentialHelper> helper = helperFor(root, key);
    if (helper.isPresent()) {
      helper.get().store(key, credential);
      return helper.get().toString();
    }
    ObjectNode auths = root.get("auths") instanceof ObjectNode existing ? existing : root.putObject("auths");
    ObjectNode entry = Json.object();
    String pair = credential.username() + ":" + credential.secret();
    entry.put("auth", Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    auths.set(key, entry);
    write(root);
    return file.toString();
  }

  /**
   * Removes the credentials of {@code registry}, from its credential helper or the file. Returns
   * where they were, or empty if there were none to remove.
   */
  public Optional<String> erase(String registry) throws AuthConfigException {
    ObjectNode root = read();
    String key = keyOf(registry);
    Optional<CredentialHelper> helper = helperFor(root, key);
    if (helper.isPresent()) {
      return helper.get().erase(key) ? Optional.of(helper.get().toString()) : Optional.empty();
    }
    JsonNode auths = root.path("auths");
    if (!auths.isObject() || !auths.has(key)) {
      return Optional.empty();
    }
    ((ObjectNode) auths).remove(key);
    write(root);
    return Optional.of(file.toString());
  }

  /** docker's order: a helper for this registry, else the default store, else the file itself. */
  private Optional<CredentialHelper> helperFor(ObjectNode root, String key) throws AuthConfigException {
    JsonNode named = root.path("credHelpers").path(key);
    if (named.isTextual() && !named.asText().isEmpty()) {
      return Optional.of(new CredentialHelper(named.asText(), env));
    }
    JsonNode store = root.path("credsStore");
    if (store.isTextual() && !store.asText().isEmpty()) {
      return Optional.of(new CredentialHelper(store.asText(), env));
    }
    return Optional.empty();
  }

  private ObjectNode read() throws AuthConfigException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_CONFIG_BYTES) {
        throw new AuthConfigException(file + " is larger than " + MAX_CONFIG_BYTES + " bytes; is it docker's config?");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Json.object();
    } catch (IOException e) {
      throw new AuthConfigException("cannot read " + file + ": " + e.getMessage());
    }
    if (bytes.length == 0) {
      return Json.object();
    }
    try {
      JsonNode node = Json.read(bytes);
      if (node instanceof ObjectNode object && (!object.has("auths") || object.get("auths").isObject())) {
        return object;
      }
    } catch (IOException e) {
      // reported below, as for any other shape
    }
    // Rewriting a file we cannot read would lose what the user keeps there.
    throw new AuthConfigException(file + " is not a docker config (a JSON object with an \"auths\" object); "
        + "fix it or move it away, then log in again");
  }

  private void write(ObjectNode root) throws AuthConfigException {
    try {
      // A symbolic link (dotfiles kept elsewhere) stays one: the file it points to is replaced.
      Path target = Files.exists(file) ? file.toRealPath() : file;
      Durable.createPrivateDirectories(target.getParent());
      Durable.write(target.getParent(), target, Json.pretty(root));
    } catch (IOException e) {
      throw new AuthConfigException("cannot write " + file + ": " + e.getMessage());
    }
  }
}
