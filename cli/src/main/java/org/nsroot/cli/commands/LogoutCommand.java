package org.nsroot.cli.commands;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.fetch.auth.DockerConfig;
import org.nsroot.fetch.reference.ImageReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nsroot logout [REGISTRY]}: forgets what {@code login} (or docker login) kept. */
@Command(name = "logout", mixinStandardHelpOptions = true,
    description = {"Remove the credentials kept for a registry (from the docker config or its credential helper)."})
public final class LogoutCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "REGISTRY", description = "Such as quay.io or localhost:5000 (default: docker.io).")
  String registry;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    String name = ImageReference.parseRegistry(registry == null ? ImageReference.DOCKER_HUB : registry);
    Optional<String> removed = new DockerConfig(console.env()).erase(name);
    console.out().println(removed.isPresent()
        ? "Removed the credentials for " + name + " from " + removed.get()
        : "Not logged in to " + name);
    return 0;
  }
}
