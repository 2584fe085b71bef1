package org.nsroot.runtime.image;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a docker {@code User} ({@code uid}, {@code name}, with optional {@code :gid} or
 * {@code :group}) into ids by reading the image's own /etc/passwd and /etc/group: never the
 * host's NSS, which would load code the image could influence (E2), and never a file outside the
 * image (E1, see {@link InRootFiles}).
 */
public final class ImageUsers {
  /** No real passwd file comes near this; a bigger one is an attack or a mistake. */
  public static final int MAX_FILE_BYTES = 64 * 1024;
  private static final String GENERATED_NAME = "nsroot";

  private ImageUsers() {}

  /**
   * Resolves {@code user} for the image at {@code rootfs}.
   *
   * @param rootfs the image's root
   * @param user the {@code User} value; empty means root
   * @return the ids, home, and passwd/group files to add when the image lacks entries
   * @throws UnknownUserException if a name is not in the image
   * @throws ImageConfigException if the value is malformed or the files unreadable
   */
  public static ResolvedUser resolve(Path rootfs, String user) throws ImageConfigException {
    String spec = user == null ? "" : user.trim();
    if (spec.isEmpty()) {
      spec = "0";
    }
    int colon = spec.indexOf(':');
    String userPart = colon < 0 ? spec : spec.substring(0, colon);
    String groupPart = colon < 0 ? null : spec.substring(colon + 1);
    if (userPart.isEmpty() || (groupPart != null && groupPart.isEmpty())) {
      throw new ImageConfigException("invalid user " + user + " (want UID[:GID] or NAME[:GROUP])");
    }
    String passwdText = text(rootfs, "/etc/passwd");
    String groupText = text(rootfs, "/etc/group");
    List<String[]> passwd = parse(passwdText, 7);
    List<String[]> groups = parse(groupText, 4);

    String[] entry = null;
    long uid;
    if (isNumber(userPart)) {
      uid = parseId(userPart, user);
      for (String[] e : passwd) {
        if (e[2].equals(Long.toString(uid))) {
          entry = e;
          break;
        }
      }
    } else {
      for (String[] e : passwd) {
        if (e[0].equals(userPart)) {
          entry = e;
          break;
        }
      }
      if (entry == null) {
        throw new UnknownUserException("user " + userPart + " is not in the image's /etc/passwd");
      }
      uid = parseId(entry[2], "the image's /etc/passwd entry for " + userPart);
    }

    long gid;
    if (groupPart == null) {
      gid = entry != null ? parseId(entry[3], "the image's /etc/passwd entry for " + userPart) : 0;
    } else if (isNumber(groupPart)) {
      gid = parseId(groupPart, user);
    } else {
      String[] g = null;
      for (String[] e : groups) {
        if (e[0].equals(groupPart)) {
          g = e;
          break;
        }
      }
      if (g == null) {
        throw new UnknownUserException("group " + groupPart + " is not in the image's /etc/group");
      }
      gid = parseId(g[2], "the image's /etc/group entry for " + groupPart);
    }

    Optional<String> home = entry == null || entry[5].isEmpty() ? Optional.empty() : Optional.of(entry[5]);
    Optional<String> passwdFile = Optional.empty();
    if (entry == null) {
      String name = freeName(passwd);
      String h = uid == 0 ? "/root" : "/";
      passwdFile = Optional.of(withLine(passwdText, name + ":x:" + uid + ":" + gid + ":nsroot user:" + h + ":/bin/sh"));
    }
    boolean groupKnown = false;
    for (String[] e : groups) {
      if (e[2].equals(Long.toString(gid))) {
        groupKnown = true;
        break;
      }
    }
    Optional<String> groupFile = groupKnown ? Optional.empty()
        : Optional.of(withLine(groupText, freeName(groups) + ":x:" + gid + ":"));
    return new ResolvedUser(uid, gid, home, passwdFile, groupFile);
  }

  private static String text(Path rootfs, String path) throws ImageConfigException {
    Optional<byte[]> data = InRootFiles.read(rootfs, path, MAX_FILE_BYTES);
    return data.isPresent() ? new String(data.get(), StandardCharsets.UTF_8) : "";
  }

  /** Lines of a colon-separated file with at least {@code fields} fields; others are skipped. */
  private static List<String[]> parse(String text, int fields) {
    List<String[]> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(":", -1);
      if (f.length >= fields) {
        out.add(f);
      }
    }
    return out;
  }

  private static String freeName(List<String[]> entries) {
    String name = GENERATED_NAME;
    for (int i = 1; ; i++) {
      boolean taken = false;
      for (String[] e : entries) {
        taken |= e[0].equals(name);
      }
      if (!taken) {
        return name;
      }
      name = GENERATED_NAME + i;
    }
  }

  private static String withLine(String text, String line) {
    if (text.isEmpty() || text.endsWith("\n")) {
      return text + line + "\n";
    }
    return text + "\n" + line + "\n";
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static long parseId(String s, String where) throws ImageConfigException {
    try {
      long v = Long.parseLong(s.trim());
      if (v >= 0 && v <= 0xFFFFFFFEL) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ImageConfigException("invalid id " + s + " in " + where);
  }
}
