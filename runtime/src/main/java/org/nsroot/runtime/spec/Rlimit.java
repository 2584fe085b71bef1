package org.nsroot.runtime.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A resource limit for the command (setrlimit). Limits can only be lowered: raising one needs a
 * privilege no user has (CAP_SYS_RESOURCE).
 *
 * @param kind which limit
 * @param soft the soft value, or {@link #UNLIMITED}
 * @param hard the hard value, or {@link #UNLIMITED}
 */
public record Rlimit(Kind kind, long soft, long hard) {
  /** No limit (RLIM_INFINITY). */
  public static final long UNLIMITED = -1;

  /** The limits a run can lower; the names are those of {@code --limit} and of the helper. */
  public enum Kind {
    AS(true), CORE(true), CPU(false), DATA(true), FSIZE(true), MEMLOCK(true), NOFILE(false),
    NPROC(false), STACK(true);

    private final boolean bytes;

    Kind(boolean bytes) {
      this.bytes = bytes;
    }

    /** The helper's name for it, as in {@code --rlimit nofile=64}. */
    public String helperName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether values are sizes, which then accept k, m, g and t suffixes. */
    public boolean isBytes() {
      return bytes;
    }
  }

  public Rlimit {
    if (kind == null || soft < UNLIMITED || hard < UNLIMITED) {
      throw new IllegalArgumentException("invalid rlimit");
    }
    if (hard != UNLIMITED && (soft == UNLIMITED || soft > hard)) {
      throw new IllegalArgumentException("soft " + kind.helperName() + " limit above the hard one");
    }
  }

  /**
   * Parses the CLI's {@code --limit} value: {@code nofile=1024,nproc=100,as=2g,cpu=60}; each value
   * may be {@code SOFT:HARD}; sizes take k, m, g, t (powers of 1024); {@code unlimited} is allowed.
   *
   * @param spec the comma-separated list
   * @return the limits, in order
   * @throws InvalidRunSpecException naming the part that is wrong
   */
  public static List<Rlimit> parseList(String spec) throws InvalidRunSpecException {
    List<Rlimit> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new InvalidRunSpecException("invalid --limit " + part + " (want NAME=VALUE)");
      }
      Kind kind;
      try {
        kind = Kind.valueOf(part.substring(0, eq).trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidRunSpecException("unknown --limit name " + part.substring(0, eq)
            + " (known: as, core, cpu, data, fsize, memlock, nofile, nproc, stack)");
      }
      String value = part.substring(eq + 1).trim();
      int colon = value.indexOf(':');
      long soft = parseValue(kind, colon < 0 ? value : value.substring(0, colon), part);
      long hard = colon < 0 ? soft : parseValue(kind, value.substring(colon + 1), part);
      try {
        out.add(new Rlimit(kind, soft, hard));
      } catch (IllegalArgumentException e) {
        throw new InvalidRunSpecException("invalid --limit " + part + ": " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  private static long parseValue(Kind kind, String text, String part) throws InvalidRunSpecException {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("unlimited")) {
      return UNLIMITED;
    }
    try {
      return kind.isBytes() ? Sizes.parseBytes(t) : Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new InvalidRunSpecException("invalid --limit value in " + part);
    }
  }

  /** The helper's argument, {@code NAME=SOFT:HARD}. */
  public String helperArgument() {
    return kind.helperName() + "=" + text(soft) + ":" + text(hard);
  }

  private static String text(long v) {
    return v == UNLIMITED ? "unlimited" : Long.toString(v);
  }
}
