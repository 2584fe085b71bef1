package org.nsroot.fetch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryAndAddressPolicyTest {
  private final RetryPolicy policy = RetryPolicy.defaults();

  @Test
  void retryAfterSecondsDatesAndNonsense() {
    assertEquals(Duration.ofSeconds(3), policy.delayFor("3", 1));
    String soon = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30).format(DateTimeFormatter.RFC_1123_DATE_TIME);
    Duration d = policy.delayFor(soon, 1);
    assertTrue(d.toSeconds() >= 28 && d.toSeconds() <= 30, d.toString());
    assertEquals(policy.backoff(2), policy.delayFor("soon-ish", 2));
    assertEquals(policy.backoff(1), policy.delayFor(null, 1));
    assertNull(policy.delayFor("86400", 1), "a day is longer than we wait: fail with advice instead");
  }

  @Test
  void backoffGrowsAndIsCapped() {
    assertTrue(policy.backoff(2).compareTo(policy.backoff(1)) > 0);
    assertEquals(policy.maxDelay(), policy.backoff(40));
  }

  @Test
  void onlyTransientStatusesAreRetried() {
    for (int s : new int[] {408, 429, 500, 502, 503, 504}) {
      assertTrue(policy.isRetryable(s), "" + s);
    }
    for (int s : new int[] {400, 401, 403, 404, 405}) {
      assertFalse(policy.isRetryable(s), "" + s);
    }
  }

  @Test
  void redirectsCannotDowngradeOrReachPrivateAddressesFromPublicServers() {
    URI hub = URI.create("https://registry-1.docker.io/v2/x/blobs/sha256:1");
    assertNull(AddressPolicy.refuse(hub, URI.create("https://production.cloudflare.docker.com/blob?sig=1"), false));
    assertNotNull(AddressPolicy.refuse(hub, URI.create("http://production.cloudflare.docker.com/blob"), false));
    assertNotNull(AddressPolicy.refuse(hub, URI.create("https://169.254.169.254/latest/meta-data"), false));
    assertNotNull(AddressPolicy.refuse(hub, URI.create("https://127.0.0.1:2375/"), false));
    assertNotNull(AddressPolicy.refuse(hub, URI.create("https://10.0.0.5/"), false));
    assertNotNull(AddressPolicy.refuse(hub, URI.create("https://172.16.9.1/"), false));
    assertNotNull(AddressPolicy.refuse(hub, URI.create("file:///etc/passwd"), false));
    assertEquals("it points at a link-local address",
        AddressPolicy.refuse(hub, URI.create("https://2852039166/latest"), false), "169.254.169.254 as a number");
    assertNotNull(AddressPolicy.refuse(hub, URI.create("https://[::ffff:169.254.169.254]/"), false));
    assertNotNull(AddressPolicy.refuse(hub, URI.create("https://0.0.0.0:2375/"), false));
    assertEquals("it is not a valid address", AddressPolicy.refuse(hub, URI.create("https://99999999999/"), false),
        "a number too large for an IPv4 address");
    assertNull(AddressPolicy.refuse(hub, URI.create("https://feature.example.com/blob"), false), "a name, not fe80::");
    assertNull(AddressPolicy.refuse(hub, URI.create("http://cdn.example.com/blob"), true), "--insecure allows http");
    URI local = URI.create("http://127.0.0.1:5000/v2/");
    assertNull(AddressPolicy.refuse(local, URI.create("http://127.0.0.1:6000/blob"), false));
    assertNotNull(AddressPolicy.refuse(local, URI.create("http://169.254.169.254/"), false));
  }

  @Test
  void originsCompareSchemeHostAndPort() {
    assertTrue(AddressPolicy.sameOrigin(URI.create("https://quay.io/v2/"), URI.create("https://quay.io:443/x")));
    assertFalse(AddressPolicy.sameOrigin(URI.create("https://quay.io/v2/"), URI.create("https://cdn.quay.io/x")));
    assertFalse(AddressPolicy.sameOrigin(URI.create("http://127.0.0.1:5000/"), URI.create("http://127.0.0.1:5001/")));
    assertFalse(AddressPolicy.sameOrigin(URI.create("https://quay.io/"), URI.create("http://quay.io/")));
  }

  @Test
  void parsesChallenges() {
    AuthChallenge c = AuthChallenge.parse(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/ubuntu:pull\"");
    assertTrue(c.isBearer());
    assertEquals("https://auth.docker.io/token", c.params().get("realm"));
    assertEquals("repository:library/ubuntu:pull", c.params().get("scope"));
    assertTrue(AuthChallenge.parse("Basic realm=\"test\"").isBasic());
    assertNull(AuthChallenge.parse(""));
  }

  @Test
  void redactsQueriesAndUserInfo() {
    assertEquals("https://s3.example.com/blob?…",
        Redact.url(URI.create("https://user:pw@s3.example.com/blob?X-Amz-Signature=secret")));
  }
}
