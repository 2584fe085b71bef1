package org.nsroot.cli.format;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Sizes, rates and ages as people read them. */
public final class Sizes {
  private Sizes() {}

  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  }

  public static String rate(long bytes, Duration d) {
    double seconds = Math.max(d.toMillis(), 1) / 1000.0;
    return bytes((long) (bytes / seconds)) + "/s";
  }

  public static String age(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    if (d.toSeconds() < 60) {
      return "just now";
    }
    if (d.toMinutes() < 60) {
      return d.toMinutes() + " minutes ago";
    }
    if (d.toHours() < 48) {
      return d.toHours() + " hours ago";
    }
    return d.toDays() + " days ago";
  }

  public static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
