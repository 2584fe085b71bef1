package org.nsroot.fetch.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
  private static final String HEX = "a".repeat(64);

  @ParameterizedTest
  @CsvSource({
    "comet, docker.io/library/comet:latest",
    "biocontainers/comet, docker.io/biocontainers/comet:latest",
    "quay.io/biocontainers/comet-ms:2019015--0, quay.io/biocontainers/comet-ms:2019015--0",
    "localhost:5000/x:tag, localhost:5000/x:tag",
    "localhost/x, localhost/x:latest",
    "index.docker.io/library/ubuntu:22.04, docker.io/library/ubuntu:22.04",
    "127.0.0.1:5000/a/b/c, 127.0.0.1:5000/a/b/c:latest",
    "[::1]:5000/x, [::1]:5000/x:latest",
    "my-registry.example.com/team/tool_x__y.z:v1.2-rc_3, my-registry.example.com/team/tool_x__y.z:v1.2-rc_3",
  })
  void readsReferencesAsDockerDoes(String input, String canonical) throws Exception {
    assertEquals(canonical, ImageReference.parse(input).toString());
  }

  @ParameterizedTest
  @CsvSource({
    "quay.io, quay.io, quay.io",
    "localhost:5000, localhost:5000, localhost:5000",
    "myregistry, myregistry, myregistry",
    "Quay.IO, quay.io, quay.io",
    "docker.io, docker.io, registry-1.docker.io",
    "index.docker.io, docker.io, registry-1.docker.io",
    "https://index.docker.io/v1/, docker.io, registry-1.docker.io",
    "http://[::1]:5000/v2/, [::1]:5000, [::1]:5000",
  })
  void readsRegistryNamesAsDockerLoginDoes(String input, String registry, String apiHost) throws Exception {
    assertEquals(registry, ImageReference.parseRegistry(input));
    assertEquals(apiHost, ImageReference.apiHostOf(registry));
  }

  @Test
  void refusesWhatIsNotARegistryName() {
    for (String bad : new String[] {"", "https://", "bad host", "a_b.io", "x.io:port", "-x.io", "x.io:123456"}) {
      InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parseRegistry(bad), bad);
      assertTrue(e.getMessage().startsWith("invalid registry"), e.getMessage());
    }
  }

  @Test
  void digestAndTagTogether() throws Exception {
    ImageReference r = ImageReference.parse("ghcr.io/o/r:1.0@sha256:" + HEX);
    assertEquals("ghcr.io", r.registry());
    assertEquals("o/r", r.repository());
    assertEquals("1.0", r.tag().orElseThrow());
    assertEquals("sha256:" + HEX, r.digest().orElseThrow().toString());
    assertEquals("sha256:" + HEX, r.qualifier()); // the digest wins, as in docker
    assertFalse(r.hasImplicitTag());
  }

  @Test
  void implicitLatestIsRemembered() throws Exception {
    assertTrue(ImageReference.parse("quay.io/biocontainers/comet").hasImplicitTag());
    assertFalse(ImageReference.parse("quay.io/biocontainers/comet:latest").hasImplicitTag());
  }

  @Test
  void dockerHubApiHostDiffersFromItsName() throws Exception {
    ImageReference r = ImageReference.parse("comet");
    assertEquals("docker.io", r.registry());
    assertEquals("registry-1.docker.io", r.apiHost());
    assertEquals("quay.io", ImageReference.parse("quay.io/x/y").apiHost());
  }

  @Test
  void loopbackRegistriesAreRecognisedWithoutDns() throws Exception {
    assertTrue(ImageReference.parse("localhost:5000/x").isLoopbackRegistry());
    assertTrue(ImageReference.parse("127.0.0.1:5000/x").isLoopbackRegistry());
    assertTrue(ImageReference.parse("[::1]:5000/x").isLoopbackRegistry());
    assertFalse(ImageReference.parse("quay.io/x").isLoopbackRegistry());
    assertFalse(ImageReference.parse("127.example.com/x").isLoopbackRegistry());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "''| empty image reference",
    "Comet/tool| must be lowercase",
    "docker.io/Comet| must be lowercase",
    "a//b| empty path component",
    "../../x| invalid registry '..'",
    "foo/../../bar:tag| invalid repository component '..'",
    "x:..| invalid tag '..'",
    "x:-tag| invalid tag '-tag'",
    "x:a%2F..| invalid tag",
    "x@sha256:abc| invalid digest",
    "x@md5:abc| unsupported digest algorithm 'md5'",
    "x@sha256:../../../../home/u/.bashrc| invalid digest",
    "quay.io/| no repository name",
    "x y| whitespace",
    "bad_host!.com/x| invalid registry",
  })
  void refusesInvalidReferencesNamingTheBadPart(String input, String expected) {
    InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(input));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void refusesOverlongTagsAndNames() {
    assertThrows(InvalidReferenceException.class, () -> ImageReference.parse("x:" + "a".repeat(129)));
    // 128 is fine:
    assertEquals("a".repeat(128), parseQuietly("x:" + "a".repeat(128)).tag().orElseThrow());
    assertThrows(InvalidReferenceException.class, () -> ImageReference.parse("quay.io/" + "a/".repeat(130) + "b"));
  }

  @Test
  void uppercaseDigestHexIsRefused() {
    assertThrows(InvalidReferenceException.class, () -> ImageReference.parse("x@sha256:" + "A".repeat(64)));
  }

  private static ImageReference parseQuietly(String s) {
    try {
      return ImageReference.parse(s);
    } catch (InvalidReferenceException e) {
      throw new AssertionError(e);
    }
  }
}
