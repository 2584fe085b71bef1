package org.nsroot.cli;

import java.io.IOException;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.auth.AuthConfigException;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.InvalidDigestException;
import org.nsroot.fetch.manifest.ManifestException;
import org.nsroot.fetch.reference.InvalidReferenceException;
import org.nsroot.fetch.registry.RegistryAuthException;
import org.nsroot.fetch.registry.RegistryNotFoundException;
import org.nsroot.fetch.registry.RegistryException;
import org.nsroot.fetch.store.NotInStoreException;
import org.nsroot.fetch.store.StoreException;
import org.nsroot.rootfs.CorruptLayerException;
import org.nsroot.rootfs.DigestMismatchException;
import org.nsroot.rootfs.HostileEntryException;
import org.nsroot.rootfs.LimitExceededException;
import org.nsroot.rootfs.RootfsException;

/**
 * The one place where failures become exit codes (README "Exit codes"). Commands that run a
 * program follow docker instead: 125 when nsroot failed, 126/127 when the command cannot run.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int INTERNAL = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND = 3;
  public static final int AUTH = 4;
  public static final int REGISTRY = 5;
  public static final int VERIFICATION = 6;
  public static final int STORE = 7;
  public static final int RUN_FAILED = 125;

  private ExitCodes() {}

  /** The exit code for a failure of a command that does not run a program. */
  public static int of(Throwable e) {
    if (e instanceof InvalidReferenceException || e instanceof InvalidDigestException) {
      return USAGE;
    }
    if (e instanceof RegistryNotFoundException || e instanceof NotInStoreException) {
      return NOT_FOUND;
    }
    if (e instanceof RegistryAuthException || e instanceof AuthConfigException) {
      return AUTH;
    }
    if (e instanceof RegistryException) {
      return REGISTRY;
    }
    if (e instanceof ContentMismatchException || e instanceof ManifestException) {
      return VERIFICATION;
    }
    if (e instanceof StoreException) {
      return STORE;
    }
    if (e instanceof HostileEntryException || e instanceof DigestMismatchException
        || e instanceof CorruptLayerException || e instanceof LimitExceededException) {
      return VERIFICATION;
    }
    if (e instanceof RootfsException) {
      return STORE; // the disk, permissions: the store's side, not the image's
    }
    if (e instanceof FetchException) {
      return INTERNAL;
    }
    if (e instanceof IOException) {
      return STORE; // a file of the user's (save -o, export -o): a full disk, permissions
    }
    if (e instanceof UsageException) {
      return USAGE;
    }
    return INTERNAL;
  }
}
