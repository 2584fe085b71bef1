package org.nsroot.cli.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.cli.UsageException;
import org.nsroot.fetch.auth.DockerConfig;
import org.nsroot.fetch.auth.RegistryCredential;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.registry.HttpRegistryClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nsroot login [REGISTRY]}: checks credentials with the registry and keeps them as docker does. */
@Command(name = "login", mixinStandardHelpOptions = true,
    description = {"Log in to a registry: check the credentials, then keep them for later pulls.",
        "",
        "They go where docker login puts them, so docker, podman, skopeo and nsroot share them: the "
            + "credential helper that $DOCKER_CONFIG/config.json (else ~/.docker/config.json) names, or "
            + "that file itself (mode 0600). The registry defaults to Docker Hub."})
public final class LoginCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "REGISTRY", description = "Such as quay.io or localhost:5000 (default: docker.io).")
  String registry;

  @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name (asked for on a terminal).")
  String username;

  @Option(names = {"-p", "--password"}, paramLabel = "PASS",
      description = "Password or token; other users can see it in the process list: prefer --password-stdin.")
  String password;

  @Option(names = "--password-stdin", description = "Read the password or token from standard input.")
  boolean passwordStdin;

  @Mixin TlsOptions tls = new TlsOptions();

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    String name = ImageReference.parseRegistry(registry == null ? ImageReference.DOCKER_HUB : registry);
    RegistryCredential credential = new RegistryCredential(user(console), secret(console), "login");
    new HttpRegistryClient(name, ImageReference.apiHostOf(name), tls.clientOptions(credential, console)).checkCredentials();
    String where = new DockerConfig(console.env()).store(name, credential);
    console.out().println("Login Succeeded: credentials for " + name + " saved in " + where);
    return 0;
  }

  private static String chop(String s, char last) {
    return s.endsWith(String.valueOf(last)) ? s.substring(0, s.length() - 1) : s;
  }

  private String user(Console console) throws UsageException {
    if (username != null) {
      if (username.isEmpty()) {
        throw new UsageException("the user name is empty");
      }
      return username;
    }
    if (!console.stdioIsTerminal() || System.console() == null) {
      throw new UsageException("no user name: pass -u USER");
    }
    String typed = System.console().readLine("Username: ");
    if (typed == null || typed.isBlank()) {
      throw new UsageException("no user name given");
    }
    return typed.strip();
  }

  private String secret(Console console) throws UsageException {
    if (password != null && passwordStdin) {
      throw new UsageException("--password and --password-stdin exclude each other");
    }
    String secret;
    if (password != null) {
      console.err().println("nsroot: warning: a password on the command line is visible to other users "
          + "(ps, /proc); use --password-stdin");
      secret = password;
    } else if (passwordStdin) {
      try {
        // All of it but the line end that echo or a heredoc adds, as docker reads it: a secret
        // may itself end in spaces.
        secret = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        secret = chop(chop(secret, '\n'), '\r');
      } catch (IOException e) {
        throw new UsageException("cannot read the password from standard input: " + e.getMessage());
      }
    } else if (console.stdioIsTerminal()) {
      secret = PasswordPrompt.read(console, "Password: ");
    } else {
      throw new UsageException("no password: pass --password-stdin and write it to standard input");
    }
    if (secret.isEmpty()) {
      throw new UsageException("the password is empty");
    }
    return secret;
  }
}
