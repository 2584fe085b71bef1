package org.nsroot.fetch.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates a registry's TLS is checked against: the JDK's CAs plus any private CA the user
 * named, docker's way ({@code ~/.docker/certs.d/HOST[:PORT]/*.crt}, {@code /etc/docker/certs.d})
 * or with a file given explicitly.
 */
final class TlsTrust {
  private TlsTrust() {}

  static SSLContext verifying(String hostPort, Path extraCa, Map<String, String> env) throws RegistryException {
    List<X509Certificate> extra = new ArrayList<>();
    try {
      if (extraCa != null) {
        extra.addAll(read(extraCa));
      }
      for (Path dir : certsDirs(hostPort, env)) {
        if (Files.isDirectory(dir)) {
          try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.crt")) {
            for (Path f : files) {
              extra.addAll(read(f));
            }
          }
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new RegistryException("cannot read the CA certificate for " + hostPort + ": " + e.getMessage(), e);
    }
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, extra.isEmpty() ? null : trustManagers(extra), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new RegistryException("cannot set up TLS for " + hostPort + ": " + e.getMessage(), e);
    }
  }

  /** Accepts any certificate: only for registries the user explicitly marked insecure. */
  static SSLContext trustingAnything() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks TLS", e);
    }
  }

  private static List<Path> certsDirs(String hostPort, Map<String, String> env) {
    List<Path> dirs = new ArrayList<>();
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    String name = hostPort.replace('/', '_');
    dirs.add(Paths.get(home, ".docker", "certs.d", name));
    dirs.add(Paths.get("/etc/docker/certs.d", name));
    return dirs;
  }

  private static List<X509Certificate> read(Path file) throws IOException, GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
    }
    return out;
  }

  private static TrustManager[] trustManagers(List<X509Certificate> extra) throws GeneralSecurityException, IOException {
    TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    system.init((KeyStore) null);
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (TrustManager tm : system.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        for (X509Certificate c : x.getAcceptedIssuers()) {
          store.setCertificateEntry("system-" + i++, c);
        }
      }
    }
    for (X509Certificate c : extra) {
      store.setCertificateEntry("extra-" + i++, c);
    }
    TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    combined.init(store);
    return combined.getTrustManagers();
  }
}
