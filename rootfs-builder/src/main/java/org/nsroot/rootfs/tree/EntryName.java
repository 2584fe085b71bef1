package org.nsroot.rootfs.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tar name split into components, taken relative to the rootfs: every leading slash is stripped
 * (A2: {@code ////etc/x} is {@code etc/x}), empty and {@code .} components vanish (A3: {@code ./a}
 * is {@code a}), and a {@code ..} component anywhere is refused (A1) rather than cleaned, because a
 * layer that names {@code ..} is broken or hostile. Names that only start with dots are ordinary.
 */
public final class EntryName {
  private final List<byte[]> components;
  private final boolean absolute;
  private final boolean trailingSlash;

  private EntryName(List<byte[]> components, boolean absolute, boolean trailingSlash) {
    this.components = components;
    this.absolute = absolute;
    this.trailingSlash = trailingSlash;
  }

  /** Thrown for names that can never be extracted safely. */
  public static class BadNameException extends Exception {
    public BadNameException(String message) {
      super(message);
    }
  }

  /** Thrown for names deeper than the build's limit: too big rather than hostile. */
  public static final class TooDeepException extends BadNameException {
    public TooDeepException(String message) {
      super(message);
    }
  }

  /** Parses raw name bytes; throws for {@code ..}, NUL bytes and depth over {@code maxDepth}. */
  public static EntryName parse(byte[] raw, int maxDepth) throws BadNameException {
    List<byte[]> comps = new ArrayList<>(8);
    int i = 0;
    boolean absolute = false;
    while (i < raw.length && raw[i] == '/') {
      i++;
      absolute = true;
    }
    int start = i;
    for (; i <= raw.length; i++) {
      if (i == raw.length || raw[i] == '/') {
        int len = i - start;
        if (len == 2 && raw[start] == '.' && raw[start + 1] == '.') {
          throw new BadNameException("path escapes the rootfs ('..' component)");
        }
        if (len > 0 && !(len == 1 && raw[start] == '.')) {
          comps.add(Arrays.copyOfRange(raw, start, i));
          if (comps.size() > maxDepth) {
            throw new TooDeepException("more than " + maxDepth + " path components");
          }
        }
        start = i + 1;
      } else if (raw[i] == 0) {
        throw new BadNameException("name contains a NUL byte");
      }
    }
    boolean trailing = raw.length > 0 && raw[raw.length - 1] == '/';
    return new EntryName(comps, absolute, trailing);
  }

  /** Components, root first; empty for the root itself. */
  public List<byte[]> components() {
    return components;
  }

  public int size() {
    return components.size();
  }

  /** The last component (the entry's own name); only when not the root. */
  public byte[] last() {
    return components.get(components.size() - 1);
  }

  /** True when this names the rootfs directory itself ({@code /}, {@code .}, {@code ./}). */
  public boolean isRoot() {
    return components.isEmpty();
  }

  /** True when leading slashes were stripped. */
  public boolean wasAbsolute() {
    return absolute;
  }

  public boolean trailingSlash() {
    return trailingSlash;
  }

  /** True when {@code name} begins with {@code prefix}. */
  public static boolean startsWith(byte[] name, byte[] prefix) {
    if (name.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (name[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
