package org.nsroot.fetch.pull;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.registry.RegistryClient;

/**
 * The two places users get lost (peers.md §2 row 11): quay.io/biocontainers has no {@code latest}
 * tag, and {@code biocontainers/x} on Docker Hub is not {@code quay.io/biocontainers/x}.
 */
final class NotFoundHints {
  private static final Pattern CHUNK = Pattern.compile("\\d+|\\D+");
  private static final int SHOWN = 5;

  private NotFoundHints() {}

  /** A sentence to add to a not-found error, or "". */
  static String hint(ImageReference ref, RegistryClient client) {
    StringBuilder hint = new StringBuilder();
    if (ref.hasImplicitTag()) {
      try {
        List<String> tags = newestFirst(client.listTags(ref.repository()));
        if (!tags.isEmpty() && !tags.contains("latest")) {
          hint.append("; ").append(ref.name()).append(" has no 'latest' tag; its newest tags: ")
              .append(String.join(", ", tags.subList(0, Math.min(SHOWN, tags.size()))))
              .append(" (pull one, e.g. ").append(ref.name()).append(':').append(tags.get(0)).append(')');
        }
      } catch (FetchException | RuntimeException ignored) {
        // The hint is a courtesy; the original error stands.
      }
    }
    if (ref.registry().equals(ImageReference.DOCKER_HUB) && ref.repository().startsWith("biocontainers/")) {
      hint.append("; BioContainers publishes current images on quay.io: try quay.io/")
          .append(ref.repository()).append(ref.hasImplicitTag() ? "" : ":" + ref.tag().orElse(""));
    }
    return hint.toString();
  }

  /** Version-aware order, newest first: 1.10 after 1.9, numbers compared as numbers. */
  static List<String> newestFirst(List<String> tags) {
    List<String> sorted = new ArrayList<>(tags);
    sorted.sort(Comparator.comparing(NotFoundHints::chunks, NotFoundHints::compareChunks).reversed());
    return sorted;
  }

  private static List<String> chunks(String tag) {
    List<String> out = new ArrayList<>();
    Matcher m = CHUNK.matcher(tag);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static int compareChunks(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      String x = a.get(i);
      String y = b.get(i);
      boolean xn = Character.isDigit(x.charAt(0));
      boolean yn = Character.isDigit(y.charAt(0));
      int c;
      if (xn && yn) {
        c = new BigInteger(x).compareTo(new BigInteger(y));
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
