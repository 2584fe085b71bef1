package org.nsroot.fetch.archive;

import org.nsroot.fetch.FetchException;

/** An archive or layout that cannot be imported: unknown format, missing parts, bad contents. */
public class ImportException extends FetchException {
  public ImportException(String message) {
    super(message);
  }

  public ImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
