package org.nsroot.fetch.store;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.reference.InvalidReferenceException;

/**
 * Finds stored images by the names users type: the full reference, a digest or its prefix, or a
 * short name — {@code comet} finds a stored {@code quay.io/biocontainers/comet} when it is the
 * only image of that name.
 */
public final class LocalImages {
  private static final Pattern DIGEST_PREFIX = Pattern.compile("(?:sha256:)?[a-f0-9]{6,64}");

  private LocalImages() {}

  /** The one stored image {@code text} names, if any; several candidates are an error listing them. */
  public static Optional<StoredImage> find(Store store, String text) throws StoreException, InvalidReferenceException {
    List<StoredImage> all = store.images();
    if (DIGEST_PREFIX.matcher(text).matches()) {
      List<StoredImage> byDigest = all.stream().filter(i -> namesDigest(text, i)).toList();
      if (!byDigest.isEmpty()) {
        return Optional.of(unique(byDigest, text));
      }
    }
    ImageReference ref = ImageReference.parse(text);
    Optional<StoredImage> exact = all.stream().filter(i -> i.reference().equals(ref.toString())).findFirst();
    if (exact.isPresent()) {
      return exact;
    }
    if (ref.digest().isPresent()) {
      Digest d = ref.digest().get();
      List<StoredImage> pinned = all.stream()
          .filter(i -> i.reference().startsWith(ref.name() + ":") || i.reference().startsWith(ref.name() + "@"))
          .filter(i -> i.manifest().digest().equals(d) || d.equals(i.indexDigest()))
          .toList();
      return pinned.isEmpty() ? Optional.empty() : Optional.of(pinned.get(0));
    }
    if (namesRegistry(text)) {
      return Optional.empty();
    }
    // A short name: match the typed path against the end of stored repositories, any registry.
    String typedPath = text.contains(":") ? text.substring(0, text.lastIndexOf(':')) : text;
    String tag = ref.tag().orElse("latest");
    List<StoredImage> candidates = all.stream()
        .filter(i -> matchesShortName(i.reference(), typedPath, tag))
        .toList();
    return candidates.isEmpty() ? Optional.empty() : Optional.of(unique(candidates, text));
  }

  /** Whether {@code text} names {@code image} by its manifest digest or a prefix of it. */
  public static boolean namesDigest(String text, StoredImage image) {
    return DIGEST_PREFIX.matcher(text).matches()
        && image.manifest().digest().hex().startsWith(text.startsWith("sha256:") ? text.substring(7) : text);
  }

  private static boolean namesRegistry(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String first = text.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost");
  }

  private static boolean matchesShortName(String stored, String typedPath, String tag) {
    ImageReference r;
    try {
      r = ImageReference.parse(stored);
    } catch (InvalidReferenceException e) {
      return false;
    }
    String repo = r.repository();
    boolean pathMatches = repo.equals(typedPath) || repo.endsWith("/" + typedPath);
    return pathMatches && r.tag().map(tag::equals).orElse(false);
  }

  private static StoredImage unique(List<StoredImage> candidates, String text) throws AmbiguousImageException {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    StringBuilder names = new StringBuilder();
    for (StoredImage i : candidates) {
      names.append(names.length() == 0 ? "" : ", ").append(i.reference());
    }
    throw new AmbiguousImageException("'" + text + "' matches several stored images: " + names + "; use a full name");
  }

  /** A short name that matches more than one stored image. */
  public static final class AmbiguousImageException extends StoreException {
    AmbiguousImageException(String message) {
      super(message);
    }
  }
}
