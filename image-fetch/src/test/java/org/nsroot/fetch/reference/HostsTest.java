package org.nsroot.fetch.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostsTest {
  @Test
  void literalsAreJudgedByTheirRangeInEveryForm() {
    for (String h : new String[] {"127.0.0.1", "127.1", "2130706433", "[::1]", "::ffff:127.0.0.1", "localhost", "a.localhost"}) {
      assertTrue(Hosts.isLoopback(h), h);
    }
    for (String h : new String[] {"169.254.169.254", "2852039166", "169.254.43518", "[fe80::1]", "::ffff:169.254.169.254"}) {
      assertTrue(Hosts.isLinkLocal(h), h);
    }
    for (String h : new String[] {"10.0.0.5", "172.16.9.1", "192.168.1.1", "100.100.100.200", "0.0.0.0", "[fd00::1]", "fc00::2"}) {
      assertTrue(Hosts.isPrivate(h), h);
    }
  }

  @Test
  void namesAreNamesWhateverTheyStartWith() {
    for (String h : new String[] {"feature.example.com", "fc2.example.net", "10.cdn.example", "fd.io", "quay.io"}) {
      assertFalse(Hosts.isLoopback(h) || Hosts.isLinkLocal(h) || Hosts.isPrivate(h), h);
      assertFalse(Hosts.isMalformedLiteral(h), h);
    }
    assertFalse(Hosts.isPrivate("172.32.0.1"));
    assertFalse(Hosts.isPrivate("8.8.8.8"));
  }

  @Test
  void numbersThatAreNoAddressAreMalformedNotNames() {
    assertTrue(Hosts.isMalformedLiteral("1.2.3.4.5"));
    assertTrue(Hosts.isMalformedLiteral("256.1.1.1"));
    assertTrue(Hosts.isMalformedLiteral("99999999999"));
    assertFalse(Hosts.isMalformedLiteral("1.2.3.4"));
  }

  @Test
  void hostOfStripsPortsAndBrackets() {
    assertEquals("127.0.0.1", Hosts.hostOf("127.0.0.1:5000"));
    assertEquals("::1", Hosts.hostOf("[::1]:5000"));
    assertEquals("quay.io", Hosts.hostOf("quay.io"));
  }
}
