package org.nsroot.fetch.registry;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * How transient failures are retried (catalogue D10, D11): 408, 429 and 5xx and broken
 * connections, with exponential backoff that honours Retry-After up to a cap, a bounded number of
 * times. Other 4xx answers are final at once.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
  private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofSeconds(60));
  }

  public boolean isRetryable(int status) {
    return RETRYABLE.contains(status);
  }

  /** The pause before attempt {@code attempt + 1} (attempt counts from 1). */
  public Duration backoff(int attempt) {
    long millis = baseDelay.toMillis() << Math.min(attempt - 1, 16);
    return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
  }

  /**
   * The pause a Retry-After header asks for, or the backoff when it is absent or bogus; null when
   * the server asks for longer than we are willing to wait.
   */
  public Duration delayFor(String retryAfter, int attempt) {
    if (retryAfter == null || retryAfter.isBlank()) {
      return backoff(attempt);
    }
    Duration asked;
    try {
      asked = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        asked = Duration.between(ZonedDateTime.now(when.getZone()), when);
      } catch (DateTimeParseException e2) {
        return backoff(attempt);
      }
    }
    if (asked.isNegative()) {
      return Duration.ZERO;
    }
    return asked.compareTo(maxRetryAfter) > 0 ? null : asked;
  }

  static void sleep(Duration d) throws RegistryUnavailableException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while waiting to retry");
    }
  }
}
