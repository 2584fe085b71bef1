package org.nsroot.runtime.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code --env-file} files as docker does: one {@code KEY=VALUE} per line, taken literally
 * (no quotes, no expansion); a line with only {@code KEY} takes the variable from the caller's
 * environment (and is skipped if unset); blank lines and lines starting with {@code #} are ignored.
 */
public final class EnvFile {
  private EnvFile() {}

  /**
   * Reads an env file.
   *
   * @param file the file
   * @param callerEnv the environment {@code KEY} lines draw from (normally System.getenv())
   * @return the variables in order
   * @throws ImageConfigException naming the file and line that is malformed or unreadable
   */
  public static Map<String, String> read(Path file, Map<String, String> callerEnv) throws ImageConfigException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ImageConfigException("cannot read env file " + file + ": " + e.getMessage());
    }
    return parse(lines, callerEnv, file.toString());
  }

  private static boolean hasWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses env-file lines.
   *
   * @param lines the lines
   * @param callerEnv where {@code KEY} lines take values from
   * @param source names the input in messages
   * @return the variables in order
   * @throws ImageConfigException on a line with an empty key or a NUL
   */
  public static Map<String, String> parse(List<String> lines, Map<String, String> callerEnv, String source)
      throws ImageConfigException {
    Map<String, String> out = new LinkedHashMap<>();
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      String trimmed = line.stripLeading();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      String key = (eq < 0 ? trimmed : trimmed.substring(0, eq)).strip();
      if (key.isEmpty() || key.indexOf('\0') >= 0 || hasWhitespace(key)) {
        throw new ImageConfigException(source + " line " + n + ": invalid variable name");
      }
      if (eq < 0) {
        String v = callerEnv.get(key);
        if (v != null) {
          out.put(key, v);
        }
        continue;
      }
      String value = trimmed.substring(eq + 1);
      if (value.indexOf('\0') >= 0) {
        throw new ImageConfigException(source + " line " + n + ": value holds NUL");
      }
      out.put(key, value);
    }
    return out;
  }
}
