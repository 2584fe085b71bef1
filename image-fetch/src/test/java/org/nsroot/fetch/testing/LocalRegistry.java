package org.nsroot.fetch.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real Distribution registry (Debian's {@code docker-registry}) on a free loopback port, with its
 * storage in a temporary directory. Optional basic auth (htpasswd) and TLS.
 */
public final class LocalRegistry implements AutoCloseable {
  private final Process process;
  private final int port;
  private final boolean tls;
  private final Path dir;

  private LocalRegistry(Process process, int port, boolean tls, Path dir) {
    this.process = process;
    this.port = port;
    this.tls = tls;
    this.dir = dir;
  }

  /** Starts a plain-HTTP registry without authentication. */
  public static LocalRegistry start(Path dir) throws IOException, InterruptedException {
    return start(dir, null, null, null);
  }

  /**
   * Starts a registry.
   *
   * @param user if not null, the registry requires basic auth as this user
   * @param tlsCert if not null, the registry serves TLS with this PEM certificate and {@code tlsKey}
   */
  public static LocalRegistry start(Path dir, String[] user, Path tlsCert, Path tlsKey)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int port = freePort();
    StringBuilder cfg = new StringBuilder();
    cfg.append("version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n");
    cfg.append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n');
    cfg.append("  delete:\n    enabled: true\n");
    cfg.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
    if (tlsCert != null) {
      cfg.append("  tls:\n    certificate: ").append(tlsCert).append("\n    key: ").append(tlsKey).append('\n');
    }
    if (user != null) {
      Path htpasswd = dir.resolve("htpasswd");
      Process hp = new ProcessBuilder("htpasswd", "-Bbn", user[0], user[1]).redirectErrorStream(true).start();
      byte[] line = hp.getInputStream().readAllBytes();
      if (hp.waitFor() != 0) {
        throw new IOException("htpasswd failed: " + new String(line, StandardCharsets.UTF_8));
      }
      Files.write(htpasswd, line);
      cfg.append("auth:\n  htpasswd:\n    realm: test\n    path: ").append(htpasswd).append('\n');
    }
    Path config = dir.resolve("config.yml");
    Files.writeString(config, cfg);
    Process p = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("registry.log").toFile())
        .start();
    LocalRegistry r = new LocalRegistry(p, port, tlsCert != null, dir);
    r.awaitReady();
    return r;
  }

  private void awaitReady() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IOException("docker-registry did not start on port " + port);
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, as image references name it. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public URI baseUri() {
    return URI.create((tls ? "https" : "http") + "://" + host());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
