package org.nsroot.fetch.registry;

/** 404: the repository, tag, manifest or blob does not exist. Never retried. */
public class RegistryNotFoundException extends RegistryException {
  private final String errorCode;

  public RegistryNotFoundException(String message, String errorCode) {
    super(message);
    this.errorCode = errorCode;
  }

  /** The distribution error code, such as MANIFEST_UNKNOWN or NAME_UNKNOWN, or "". */
  public String errorCode() {
    return errorCode;
  }
}
