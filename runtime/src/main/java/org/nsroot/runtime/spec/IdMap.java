package org.nsroot.runtime.spec;

/**
 * One line of a uid_map or gid_map of the setup namespace (the classic {@code -M}/{@code -G}):
 * {@code count} ids from {@code outside} on the host appear from {@code inside}. Unprivileged users
 * can only map their own id; root can map ranges. The map must include the invoking user.
 *
 * @param inside first id inside
 * @param outside first id on the host
 * @param count how many
 */
public record IdMap(long inside, long outside, long count) {
  public IdMap {
    if (inside < 0 || outside < 0 || count <= 0 || inside > 0xFFFFFFFEL || outside > 0xFFFFFFFEL) {
      throw new IllegalArgumentException("invalid id map line");
    }
  }

  /** The map line, {@code INSIDE OUTSIDE COUNT}. */
  public String line() {
    return inside + " " + outside + " " + count;
  }
}
