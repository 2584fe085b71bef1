package org.nsroot.cli.commands;

import java.nio.file.Path;
import org.nsroot.cli.Console;
import org.nsroot.fetch.auth.CredentialResolver;
import org.nsroot.fetch.auth.RegistryCredential;
import org.nsroot.fetch.registry.ClientOptions;
import picocli.CommandLine.Option;

/** How far to trust a registry's transport: shared by the commands that talk to registries. */
public final class TlsOptions {
  @Option(names = "--insecure",
      description = "Allow plain HTTP or an unverified certificate for this registry (loopback registries need not).")
  boolean insecure;

  @Option(names = "--ca-cert", paramLabel = "FILE",
      description = "Trust this CA certificate (PEM) for the registry; also read: ~/.docker/certs.d/HOST/*.crt.")
  Path caCert;

  /** How to reach registries with {@code credential} (or the usual sources when null), as the user said. */
  ClientOptions clientOptions(RegistryCredential credential, Console console) {
    return ClientOptions.defaults(new CredentialResolver(credential, console.env()))
        .withEnv(console.env())
        .withInsecure(insecure)
        .withCaCertificate(caCert);
  }
}
