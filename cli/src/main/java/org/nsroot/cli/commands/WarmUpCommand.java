package org.nsroot.cli.commands;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.nsroot.cli.Console;
import org.nsroot.cli.UsageException;
import org.nsroot.cli.NsrootCommand;
import org.nsroot.fetch.archive.ImageImporter;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.MediaTypes;
import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.runtime.helper.HelperCommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A training run for the start-up caches the launcher builds (a class-data sharing archive, or
 * JDK 25's AOT cache): it goes through what {@code nsroot pull} and {@code nsroot run} load —
 * argument parsing, the registry client against a registry in this process, the store, flattening,
 * planning the helper's command line — in a store left for the launcher's training run of
 * {@code run} (the helper installed in it), without namespaces or network.
 */
@Command(name = "warm-up", hidden = true, description = "Load nsroot's classes once (used by the launcher's build).")
public final class WarmUpCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "DIR",
      description = "Leave the store in DIR/store (with localhost/warm/up:2, its rootfs and the helper) for a training run of run.")
  Path dir;

  @Option(names = "--serve", paramLabel = "FILE",
      description = "Only serve the warm-up image from a registry on a loopback port, written to FILE, for a minute.")
  Path serve;

  @Override
  public Integer call() throws Exception {
    if (serve != null) {
      return serve(serve);
    }
    if (dir == null) {
      throw new UsageException("warm-up needs the directory to leave its store in");
    }
    HttpServer registry = tinyRegistry();
    try {
      Console quiet = new Console(Console.system().out(), new PrintStream(OutputStream.nullOutputStream()),
          Map.of("NSROOT_HOME", dir.resolve("store").toString(), "HOME", dir.toString()), false, false);
      String ref = "127.0.0.1:" + registry.getAddress().getPort() + "/warm/up:1";
      PullCommand pull = PullArguments.parse(List.of("-q", ref)).orElseThrow();
      pull.pull(quiet);
      Store store = Store.open(dir.resolve("store"));
      StoredImage image = new ImageImporter(store, Platform.current())
          .importFrom(null, new ByteArrayInputStream(tar()), "localhost/warm/up:2").get(0);
      Files.createDirectories(store.rootfsDir(image).resolve("etc"));
      // picocli's model of every command, for the commands that use it and the forms run leaves to it
      NsrootCommand.commandLine(new String[0]).parseArgs("run", "--net", "none", "-eA=1", "image", "--", "true");
      RunCommand run = RunArguments.parse(List.of("--pull", "never", "-q", "up:2", "--", "/bin/true")).orElseThrow();
      RunCommand.Planned planned = run.plan(quiet, store);
      HelperCommandLine.of(planned.helper(), planned.spec()).envp(); // what ExecPlan.write does next
      return 0;
    } finally {
      registry.stop(0);
    }
  }

  /**
   * Serves the registry for the launcher's training run of {@code pull}, which must not load the
   * server's classes into its cache. It stops after a minute at the latest: the launcher stops it
   * sooner, but must not leave a server behind if it dies.
   */
  private static int serve(Path portFile) throws IOException, InterruptedException {
    HttpServer registry = tinyRegistry();
    try {
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(registry.getAddress().getPort()));
      Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
      Thread.sleep(60_000);
      return 0;
    } finally {
      registry.stop(0);
    }
  }

  /** A registry of one image, in this process: just enough of the distribution API for a pull. */
  private static HttpServer tinyRegistry() throws IOException {
    byte[] layer = gzip(tar());
    byte[] config = ("{\"architecture\":\"" + Platform.current().architecture() + "\",\"os\":\"linux\","
        + "\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"/bin/sh\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + Digest.sha256Of(tar()) + "\"]}}").getBytes(StandardCharsets.UTF_8);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256Of(config) + "\",\"size\":" + config.length
        + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
        + Digest.sha256Of(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> paths = new HashMap<>();
    paths.put("/v2/warm/up/manifests/1", manifest);
    paths.put("/v2/warm/up/blobs/" + Digest.sha256Of(config), config);
    paths.put("/v2/warm/up/blobs/" + Digest.sha256Of(layer), layer);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/", exchange -> serve(exchange, paths.get(exchange.getRequestURI().getPath())));
    server.start();
    return server;
  }

  private static void serve(HttpExchange ex, byte[] body) throws IOException {
    try (ex) {
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      if (ex.getRequestURI().getPath().contains("/manifests/")) {
        ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
        ex.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256Of(body).toString());
      }
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        ex.getResponseBody().write(body);
      }
    }
  }

  private static byte[] tar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry dir = new TarArchiveEntry("etc/");
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      byte[] motd = "warm\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry("etc/motd");
      file.setSize(motd.length);
      tar.putArchiveEntry(file);
      tar.write(motd);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
