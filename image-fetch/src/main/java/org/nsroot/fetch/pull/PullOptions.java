package org.nsroot.fetch.pull;

import org.nsroot.fetch.manifest.Platform;
import org.nsroot.fetch.registry.ClientOptions;

/**
 * How to pull.
 *
 * @param platform the platform to choose from an index
 * @param offline use only the store; fail naming what is missing
 * @param jobs how many blobs download at once
 */
public record PullOptions(Platform platform, boolean offline, int jobs, ClientOptions client) {
  /** Blobs downloaded at once unless told otherwise. */
  public static final int DEFAULT_JOBS = 4;

  public static PullOptions defaults(ClientOptions client) {
    return new PullOptions(Platform.current(), false, DEFAULT_JOBS, client);
  }

  public PullOptions withPlatform(Platform value) {
    return new PullOptions(value, offline, jobs, client);
  }

  public PullOptions withOffline(boolean value) {
    return new PullOptions(platform, value, jobs, client);
  }

  public PullOptions withJobs(int value) {
    return new PullOptions(platform, offline, Math.max(1, value), client);
  }

  public PullOptions withClient(ClientOptions value) {
    return new PullOptions(platform, offline, jobs, value);
  }
}
