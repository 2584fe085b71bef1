package org.nsroot.fetch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpTransportTest {
  private final ClientOptions options = ClientOptions.defaults(null).withEnv(Map.of("HOME", "/nonexistent"));

  @Test
  void remoteRegistriesAreHttpsOnly() throws Exception {
    assertEquals("https", new HttpTransport("quay.io", options).base().getScheme());
    assertEquals("https", new HttpTransport("10.1.2.3:5000", options).base().getScheme());
  }

  @Test
  void loopbackRegistriesMayBePlainHttp() throws Exception {
    assertEquals("http", new HttpTransport("localhost:5000", options).base().getScheme());
    assertEquals("http", new HttpTransport("127.0.0.1:5000", options).base().getScheme());
  }

  @Test
  void credentialsTravelOnlyOverTlsOrToThisMachine() throws Exception {
    HttpTransport t = new HttpTransport("quay.io", options);
    assertTrue(t.mayCarryCredentials(URI.create("https://quay.io/v2/")));
    assertFalse(t.mayCarryCredentials(URI.create("http://quay.io/v2/")));
    assertTrue(t.mayCarryCredentials(URI.create("http://127.0.0.1:5000/v2/")));
  }
}
