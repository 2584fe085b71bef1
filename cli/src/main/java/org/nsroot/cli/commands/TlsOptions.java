package org.nsroot.cli.commands;

import java.nio.file.Path;
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

  ClientOptions applyTo(ClientOptions options) {
    return options.withInsecure(insecure).withCaCertificate(caCert);
  }
}
