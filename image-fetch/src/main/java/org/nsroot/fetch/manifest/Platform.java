package org.nsroot.fetch.manifest;

import java.util.Locale;
import java.util.Objects;

/**
 * An image platform: os, architecture and optional variant, normalised as containerd does so that
 * {@code arm64} and {@code arm64/v8} are the same thing.
 */
public record Platform(String os, String architecture, String variant) {

  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    os = os.toLowerCase(Locale.ROOT);
    architecture = normaliseArchitecture(architecture.toLowerCase(Locale.ROOT));
    variant = normaliseVariant(architecture, variant == null ? "" : variant.toLowerCase(Locale.ROOT));
  }

  /**
   * Parses {@code os/arch[/variant]}, as {@code --platform} takes it.
   *
   * @throws IllegalArgumentException with a message for the user
   */
  public static Platform parse(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
        || (parts.length == 3 && parts[2].isEmpty())) {
      throw new IllegalArgumentException(
          "invalid platform '" + text + "': expected os/architecture[/variant], such as linux/arm64/v8");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  /** The platform this JVM runs on. */
  public static Platform current() {
    String arch = System.getProperty("os.arch", "amd64");
    String variant = arch.equals("arm") ? "v7" : "";
    return new Platform("linux", arch, variant);
  }

  private static String normaliseArchitecture(String arch) {
    return switch (arch) {
      case "x86_64", "x86-64" -> "amd64";
      case "aarch64" -> "arm64";
      case "i386", "i486", "i586", "i686", "x86" -> "386";
      case "armhf", "armel" -> "arm";
      default -> arch;
    };
  }

  private static String normaliseVariant(String arch, String variant) {
    if (arch.equals("arm64") && (variant.equals("v8") || variant.equals("8"))) {
      return "";
    }
    if (arch.equals("amd64") && variant.equals("v1")) {
      return "";
    }
    if (arch.equals("arm") && variant.matches("[5-8]")) {
      return "v" + variant;
    }
    return variant;
  }

  /** Whether an image built for {@code candidate} is what this platform asks for. */
  public boolean accepts(Platform candidate) {
    return os.equals(candidate.os)
        && architecture.equals(candidate.architecture)
        && (variant.isEmpty() || variant.equals(candidate.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
