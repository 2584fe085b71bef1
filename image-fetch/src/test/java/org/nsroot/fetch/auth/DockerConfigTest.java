package org.nsroot.fetch.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.fetch.manifest.Json;

/** What {@code nsroot login} writes, read back the way pulls read it (Jib), and what it keeps. */
class DockerConfigTest {
  @TempDir Path home;
  Map<String, String> env;
  Path file;

  @BeforeEach
  void setUp() {
    env = Map.of("HOME", home.toString(), "PATH", home.resolve("bin") + ":/usr/bin:/bin");
    file = home.resolve(".docker/config.json");
  }

  private RegistryCredential read(String registry) throws Exception {
    return new CredentialResolver(null, env).forRegistry(registry, "some/repo").orElseThrow();
  }

  @Test
  void storedCredentialsArePrivateAndFoundByPulls() throws Exception {
    String where = new DockerConfig(env).store("localhost:5000", new RegistryCredential("ann", "Secret-99", "test"));
    assertEquals(file.toString(), where);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    RegistryCredential back = read("localhost:5000");
    assertEquals("ann", back.username());
    assertEquals("Secret-99", back.secret());
  }

  @Test
  void dockerHubIsFiledUnderDockersOwnKey() throws Exception {
    new DockerConfig(env).store("docker.io", new RegistryCredential("bob", "pw:with:colons", "test"));
    JsonNode auth = Json.read(Files.readAllBytes(file)).path("auths").path("https://index.docker.io/v1/").path("auth");
    assertEquals("bob:pw:with:colons", new String(Base64.getDecoder().decode(auth.asText()), StandardCharsets.UTF_8));
    assertEquals("pw:with:colons", read("docker.io").secret());
  }

  @Test
  void everythingElseInTheFileIsKept() throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"auths\":{\"quay.io\":{\"auth\":\"eDp5\"},\"localhost:5000\":{\"auth\":\"b2xkOm9sZA==\"}},"
        + "\"credHelpers\":{\"gcr.io\":\"gcloud\"},\"proxies\":{\"default\":{\"httpProxy\":\"http://p:3128\"}}}");
    DockerConfig config = new DockerConfig(env);
    config.store("localhost:5000", new RegistryCredential("new", "pw", "test"));
    JsonNode after = Json.read(Files.readAllBytes(file));
    assertEquals("eDp5", after.path("auths").path("quay.io").path("auth").asText());
    assertEquals("gcloud", after.path("credHelpers").path("gcr.io").asText());
    assertEquals("http://p:3128", after.path("proxies").path("default").path("httpProxy").asText());
    assertEquals("new", read("localhost:5000").username());

    assertEquals(Optional.of(file.toString()), config.erase("localhost:5000"));
    after = Json.read(Files.readAllBytes(file));
    assertFalse(after.path("auths").has("localhost:5000"));
    assertEquals("eDp5", after.path("auths").path("quay.io").path("auth").asText());
    assertEquals(Optional.empty(), config.erase("localhost:5000"), "nothing left to remove");
  }

  @Test
  void aFileThatIsNotADockerConfigIsRefusedAndLeftAsItWas() throws Exception {
    Files.createDirectories(file.getParent());
    for (String bad : new String[] {"{\"auths\": [", "[1, 2]", "{\"auths\": \"x\"}"}) {
      Files.writeString(file, bad);
      AuthConfigException e = assertThrows(AuthConfigException.class,
          () -> new DockerConfig(env).store("localhost:5000", new RegistryCredential("a", "Secret-1", "test")));
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertFalse(e.getMessage().contains("Secret-1"));
      assertEquals(bad, Files.readString(file));
    }
  }

  @Test
  void aSymlinkedConfigStaysALink() throws Exception {
    Path dotfiles = Files.createDirectories(home.resolve("dotfiles"));
    Files.writeString(dotfiles.resolve("docker.json"), "{\"credHelpers\":{}}");
    Files.createDirectories(file.getParent());
    Files.createSymbolicLink(file, dotfiles.resolve("docker.json"));
    new DockerConfig(env).store("localhost:5000", new RegistryCredential("ann", "pw", "test"));
    assertTrue(Files.isSymbolicLink(file));
    assertTrue(Files.readString(dotfiles.resolve("docker.json")).contains("localhost:5000"));
  }

  @Test
  void aCredentialHelperNamedInTheConfigKeepsTheSecretInstead() throws Exception {
    Path log = home.resolve("helper.log");
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path helper = bin.resolve("docker-credential-nsroottest");
    // Records its action and request; "erase" of what it does not have fails as real helpers do.
    Files.writeString(helper, "#!/bin/sh\n{ echo \"$1\"; cat; echo; } >> " + log + "\n"
        + "if [ \"$1\" = erase ] && [ -e " + home.resolve("erased") + " ]; then echo 'credentials not found in native keychain'; exit 1; fi\n"
        + "if [ \"$1\" = erase ]; then touch " + home.resolve("erased") + "; fi\n");
    helper.toFile().setExecutable(true);
    Files.createDirectories(file.getParent());
    String config = "{\"credsStore\":\"nsroottest\"}";
    Files.writeString(file, config);

    DockerConfig docker = new DockerConfig(env);
    assertEquals("docker-credential-nsroottest", docker.store("quay.io", new RegistryCredential("ann", "Helper-Secret", "t")));
    assertEquals(config, Files.readString(file), "the secret is not written to the file");
    JsonNode request = Json.read(Files.readAllLines(log).get(1).getBytes(StandardCharsets.UTF_8));
    assertEquals("store", Files.readAllLines(log).get(0));
    assertEquals("quay.io", request.path("ServerURL").asText());
    assertEquals("ann", request.path("Username").asText());
    assertEquals("Helper-Secret", request.path("Secret").asText());

    assertEquals(Optional.of("docker-credential-nsroottest"), docker.erase("quay.io"));
    assertEquals(Optional.empty(), docker.erase("quay.io"));
    assertTrue(Files.readString(log).contains("erase\nquay.io"));
  }

  @Test
  void aHelperThatFailsOrIsMissingIsNamedWithoutTheSecret() throws Exception {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path helper = bin.resolve("docker-credential-broken");
    Files.writeString(helper, "#!/bin/sh\necho \"keyring locked (got $(cat))\"\nexit 3\n");
    helper.toFile().setExecutable(true);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"credHelpers\":{\"quay.io\":\"broken\",\"ghcr.io\":\"absent\",\"x.io\":\"../evil\"}}");
    DockerConfig docker = new DockerConfig(env);
    AuthConfigException failed = assertThrows(AuthConfigException.class,
        () -> docker.store("quay.io", new RegistryCredential("ann", "Leaky-Secret", "t")));
    assertTrue(failed.getMessage().contains("docker-credential-broken could not store"), failed.getMessage());
    assertTrue(failed.getMessage().contains("keyring locked"), failed.getMessage());
    assertFalse(failed.getMessage().contains("Leaky-Secret"), failed.getMessage());
    AuthConfigException missing = assertThrows(AuthConfigException.class,
        () -> docker.store("ghcr.io", new RegistryCredential("ann", "pw", "t")));
    assertTrue(missing.getMessage().contains("docker-credential-absent") && missing.getMessage().contains("not on PATH"),
        missing.getMessage());
    AuthConfigException invalid = assertThrows(AuthConfigException.class,
        () -> docker.store("x.io", new RegistryCredential("ann", "pw", "t")));
    assertTrue(invalid.getMessage().contains("invalid credential helper"), invalid.getMessage());
  }

  @Test
  void dockerConfigEnvironmentVariableMovesTheFile() throws Exception {
    Path elsewhere = home.resolve("elsewhere");
    Map<String, String> moved = Map.of("HOME", home.toString(), "DOCKER_CONFIG", elsewhere.toString());
    new DockerConfig(moved).store("localhost:5000", new RegistryCredential("ann", "pw", "test"));
    assertTrue(Files.exists(elsewhere.resolve("config.json")));
    assertFalse(Files.exists(file));
    assertArrayEquals("pw".getBytes(StandardCharsets.UTF_8),
        new CredentialResolver(null, moved).forRegistry("localhost:5000", "r").orElseThrow().secret().getBytes(StandardCharsets.UTF_8));
  }
}
