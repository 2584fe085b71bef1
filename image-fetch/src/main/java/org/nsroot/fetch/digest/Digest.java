package org.nsroot.fetch.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A validated content digest ({@code sha256:<64 hex>} or {@code sha512:<128 hex>}).
 *
 * <p>Digests come from registries and manifests we do not trust, and they become URL paths and
 * file names; so a digest exists only once it has been validated (catalogue D2).
 */
public final class Digest {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  private final String algorithm;
  private final String hex;

  private Digest(String algorithm, String hex) {
    this.algorithm = algorithm;
    this.hex = hex;
  }

  /**
   * Parses {@code algorithm:hex}.
   *
   * @throws InvalidDigestException naming what is wrong with the text
   */
  public static Digest parse(String text) throws InvalidDigestException {
    if (text == null) {
      throw new InvalidDigestException("missing digest");
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new InvalidDigestException("invalid digest '" + printable(text) + "': expected algorithm:hex");
    }
    String algorithm = text.substring(0, colon);
    String hex = text.substring(colon + 1);
    Pattern expected =
        switch (algorithm) {
          case "sha256" -> SHA256;
          case "sha512" -> SHA512;
          default -> throw new InvalidDigestException(
              "unsupported digest algorithm '" + printable(algorithm) + "' (sha256 and sha512 are supported)");
        };
    if (!expected.matcher(hex).matches()) {
      throw new InvalidDigestException(
          "invalid digest '" + printable(text) + "': expected " + algorithm + ":" + (expected == SHA256 ? 64 : 128)
              + " lowercase hex digits");
    }
    return new Digest(algorithm, hex);
  }

  /** The digest of {@code bytes} with sha256. */
  public static Digest sha256Of(byte[] bytes) {
    return fromHasher("sha256", newHasher("sha256").digest(bytes));
  }

  /** Wraps a finished hash computed with {@link #newHasher()} of the same algorithm. */
  public static Digest fromHasher(String algorithm, byte[] hash) {
    return new Digest(algorithm, HexFormat.of().formatHex(hash));
  }

  public String algorithm() {
    return algorithm;
  }

  public String hex() {
    return hex;
  }

  /** A fresh hasher for this digest's algorithm. */
  public MessageDigest newHasher() {
    return newHasher(algorithm);
  }

  /** The first 12 hex digits, as docker shows them. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  /** Whether {@code hash}, from {@link #newHasher()}, is this digest. */
  public boolean matches(byte[] hash) {
    return MessageDigest.isEqual(HexFormat.of().parseHex(hex), hash);
  }

  /** A fresh hasher for {@code algorithm} (sha256 or sha512). */
  public static MessageDigest newHasher(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  /** Keeps hostile input from spilling control characters or megabytes into a message. */
  static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && d.algorithm.equals(algorithm) && d.hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, hex);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
