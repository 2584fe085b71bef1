package org.nsroot.cli.commands;

import org.nsroot.cli.Console;
import org.nsroot.cli.UsageException;
import org.nsroot.fetch.auth.RegistryCredential;
import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.pull.PullOptions;
import org.nsroot.fetch.registry.ClientOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How to reach registries: shared by every command that may pull. */
public final class RegistryOptions {
  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Image platform to choose from a multi-platform image (default: this machine's).")
  String platform;

  @Option(names = "--creds", paramLabel = "USER[:PASS]",
      description = "Registry credentials. Without :PASS the password is read from standard input. "
          + "Also: $NSROOT_REGISTRY_USER and $NSROOT_REGISTRY_PASSWORD, or nsroot login.")
  String creds;

  @Mixin TlsOptions tls = new TlsOptions();

  @Option(names = "--offline", description = "Use only the local store (also: NSROOT_OFFLINE=1).")
  boolean offline;

  /** Pull options as given on the command line and in the environment. */
  public PullOptions pullOptions(Console console, int jobs) throws UsageException {
    ClientOptions client = tls.clientOptions(credential(console), console);
    PullOptions options = PullOptions.defaults(client).withJobs(jobs).withOffline(isOffline(console));
    if (platform != null) {
      try {
        options = options.withPlatform(Platform.parse(platform));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    return options;
  }

  public boolean isOffline(Console console) {
    return offline || "1".equals(console.env().get("NSROOT_OFFLINE"));
  }

  private RegistryCredential credential(Console console) throws UsageException {
    if (creds == null) {
      return null;
    }
    int colon = creds.indexOf(':');
    if (colon == 0) {
      throw new UsageException("--creds needs a user name: --creds USER[:PASS]");
    }
    if (colon > 0) {
      return new RegistryCredential(creds.substring(0, colon), creds.substring(colon + 1), "--creds");
    }
    String password = PasswordPrompt.read(console, "Password for " + creds + ": ");
    return new RegistryCredential(creds, password, "--creds");
  }
}
