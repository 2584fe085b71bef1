package org.nsroot.fetch.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.nsroot.fetch.manifest.Json;

/**
 * A docker credential helper ({@code docker-credential-NAME} on PATH: pass, secretservice, ecr-login
 * …), asked to store or erase credentials with docker's protocol: the action as the argument, the
 * request on standard input. Reading credentials is Jib's part ({@link CredentialResolver}).
 */
final class CredentialHelper {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final int MAX_OUTPUT_BYTES = 64 << 10;

  private final String name;
  private final Map<String, String> env;

  CredentialHelper(String name, Map<String, String> env) throws AuthConfigException {
    if (!NAME.matcher(name).matches()) {
      throw new AuthConfigException("the docker config names an invalid credential helper '" + name + "'");
    }
    this.name = name;
    this.env = env;
  }

  void store(String serverUrl, RegistryCredential credential) throws AuthConfigException {
    ObjectNode request = Json.object();
    request.put("ServerURL", serverUrl);
    request.put("Username", credential.username());
    request.put("Secret", credential.secret());
    Outcome o = call("store", Json.bytes(request));
    if (o.status != 0) {
      throw new AuthConfigException(this + " could not store the credentials for " + serverUrl + ": "
          + (credential.secret().isEmpty() ? o.message : o.message.replace(credential.secret(), "***")));
    }
  }

  /** Returns whether the helper had credentials for {@code serverUrl}. */
  boolean erase(String serverUrl) throws AuthConfigException {
    Outcome o = call("erase", serverUrl.getBytes(StandardCharsets.UTF_8));
    if (o.status == 0) {
      return true;
    }
    if (o.message.toLowerCase(Locale.ROOT).contains("not found")) {
      return false; // the helpers' own wording for "nothing stored for that server"
    }
    throw new AuthConfigException(this + " could not erase the credentials for " + serverUrl + ": " + o.message);
  }

  private record Outcome(int status, String message) {}

  private Outcome call(String action, byte[] request) throws AuthConfigException {
    Path program = find();
    ProcessBuilder pb = new ProcessBuilder(program.toString(), action).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(request);
      }
      byte[] output;
      try (InputStream out = p.getInputStream()) {
        output = out.readNBytes(MAX_OUTPUT_BYTES);
        out.transferTo(OutputStream.nullOutputStream());
      }
      int status = p.waitFor();
      return new Outcome(status, CredentialResolver.firstLine(new String(output, StandardCharsets.UTF_8).strip()));
    } catch (IOException e) {
      throw new AuthConfigException("cannot run " + program + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuthConfigException("interrupted while waiting for " + this);
    }
  }

  private Path find() throws AuthConfigException {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue; // an empty entry means the working directory: never run a helper from there
      }
      Path candidate = Path.of(dir, "docker-credential-" + name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AuthConfigException("the credential helper " + this + " named in the docker config is not on PATH; "
        + "install it, or remove it from the config to keep credentials in the file");
  }

  @Override
  public String toString() {
    return "docker-credential-" + name;
  }
}
