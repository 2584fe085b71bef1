package org.nsroot.fetch.registry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.store.BlobSink;

/** What image-fetch needs from a registry: the distribution API's read side. */
public interface RegistryClient {

  /** A manifest or index exactly as the registry sent it, with the digest of those bytes. */
  record FetchedManifest(byte[] raw, String contentType, Digest digest) {}

  /**
   * GETs a manifest by tag or digest. Pinned by digest, the bytes must hash to it; by tag, they
   * must hash to the {@code Docker-Content-Digest} the registry announces, if any.
   */
  FetchedManifest getManifest(String repository, String qualifier) throws FetchException;

  /**
   * HEADs a manifest: the digest the registry has for a tag, without a GET that counts against
   * Docker Hub's rate limit. Empty when the registry does not say.
   */
  Optional<Digest> headManifest(String repository, String qualifier) throws FetchException;

  /**
   * Downloads a blob into {@code sink}, resuming from what the sink already holds. Transient
   * network failures are retried; the caller verifies the digest when the sink is committed.
   *
   * @param progress receives the number of new bytes as they arrive
   * @throws IOException when the sink itself fails (a full disk): never retried
   */
  void getBlob(String repository, Descriptor blob, BlobSink sink, LongConsumer progress)
      throws FetchException, IOException;

  /** The repository's tags, as the registry lists them (first page). */
  List<String> listTags(String repository) throws FetchException;

  /** The registry, for messages. */
  String registry();
}
