package org.nsroot.fetch.auth;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds credentials for a registry: given on the command line, then from the environment (for
 * scripts), then docker's config file and credential helpers, read by Jib.
 */
public final class CredentialResolver {
  public static final String ENV_USER = "NSROOT_REGISTRY_USER";
  public static final String ENV_PASSWORD = "NSROOT_REGISTRY_PASSWORD";

  private final RegistryCredential explicit;
  private final Map<String, String> env;

  /**
   * @param explicit credentials given by the caller, such as {@code --creds}, or null
   * @param env the environment to read (the process's own, or a test's)
   */
  public CredentialResolver(RegistryCredential explicit, Map<String, String> env) {
    this.explicit = explicit;
    this.env = env;
  }

  public static CredentialResolver fromEnvironment(RegistryCredential explicit) {
    return new CredentialResolver(explicit, System.getenv());
  }

  /** Credentials for {@code registry} (as written in references, e.g. {@code docker.io}). */
  public Optional<RegistryCredential> forRegistry(String registry, String repository) throws AuthConfigException {
    if (explicit != null) {
      return Optional.of(explicit);
    }
    String user = env.get(ENV_USER);
    String password = env.get(ENV_PASSWORD);
    if (user != null && !user.isEmpty() && password != null) {
      return Optional.of(new RegistryCredential(user, password, "$" + ENV_USER));
    }
    Path config = DockerConfig.locate(env);
    if (!Files.isRegularFile(config)) {
      return Optional.empty();
    }
    try {
      CredentialRetriever retriever =
          CredentialRetrieverFactory.forImage(ImageReference.of(registry, repository, null), event -> {})
              .dockerConfig(config);
      Optional<Credential> found = retriever.retrieve();
      return found.map(c -> new RegistryCredential(c.getUsername(), c.getPassword(), config.toString()));
    } catch (Exception e) {
      // Jib reports helper failures with their output; keep only the gist, never a secret.
      throw new AuthConfigException(
          "cannot read credentials for " + registry + " from " + config + ": " + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " (" + firstLine(e.getMessage()) + ")"));
    }
  }

  /** The first line of a tool's message (helpers and Jib add details a one-line error has no room for). */
  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl >= 0 ? s.substring(0, nl) : s;
  }
}
