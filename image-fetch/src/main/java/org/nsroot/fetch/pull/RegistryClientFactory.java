package org.nsroot.fetch.pull;

import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.registry.ClientOptions;
import org.nsroot.fetch.registry.HttpRegistryClient;
import org.nsroot.fetch.registry.RegistryClient;

/** Makes the registry client for a reference; tests and library callers may supply their own. */
@FunctionalInterface
public interface RegistryClientFactory {
  RegistryClient create(ImageReference ref, ClientOptions options) throws FetchException;

  RegistryClientFactory HTTP = (ref, options) -> new HttpRegistryClient(ref.registry(), ref.apiHost(), options);
}
