package org.nsroot.fetch.store;

import java.io.IOException;

/** Where downloaded bytes go; the registry client writes, the store verifies. */
public interface BlobSink {
  /** How many bytes the sink already holds (a download resumes from there). */
  long offset();

  void write(byte[] bytes, int off, int len) throws IOException;
}
