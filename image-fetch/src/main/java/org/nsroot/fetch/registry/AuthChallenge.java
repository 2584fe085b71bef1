package org.nsroot.fetch.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code WWW-Authenticate} header: a scheme and its parameters. */
record AuthChallenge(String scheme, Map<String, String> params) {
  private static final Pattern PARAM = Pattern.compile("([A-Za-z_]+)=(?:\"([^\"]*)\"|([^,\\s]*))");

  static AuthChallenge parse(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    int space = h.indexOf(' ');
    String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    if (space > 0) {
      Matcher m = PARAM.matcher(h.substring(space + 1));
      while (m.find()) {
        params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
      }
    }
    return new AuthChallenge(scheme, Map.copyOf(params));
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }
}
