package org.nsroot.fetch.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One HTTP answer; closing it returns the connection to the keep-alive pool. */
final class HttpResponse implements AutoCloseable {
  private final HttpURLConnection conn;
  private final int status;
  private final URI uri;

  HttpResponse(HttpURLConnection conn, int status, URI uri) {
    this.conn = conn;
    this.status = status;
    this.uri = uri;
  }

  int status() {
    return status;
  }

  String header(String name) {
    return conn.getHeaderField(name);
  }

  /** Every value of a header; names are compared without case, as HTTP says (proxies lowercase them). */
  List<String> headers(String name) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, List<String>> h : conn.getHeaderFields().entrySet()) {
      if (h.getKey() != null && h.getKey().equalsIgnoreCase(name)) {
        values.addAll(h.getValue());
      }
    }
    return values;
  }

  InputStream body() throws IOException {
    if (status >= 400) {
      InputStream err = conn.getErrorStream();
      return err != null ? err : InputStream.nullInputStream();
    }
    return conn.getInputStream();
  }

  /** Reads the body, refusing more than {@code max} bytes (D5: no unbounded buffers). */
  byte[] bodyBytes(int max) throws IOException {
    try (InputStream in = body()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (out.size() + n > max) {
          throw new BodyTooLargeException(
              "the answer from " + Redact.url(uri) + " exceeded the maximum allowed size of " + max + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  @Override
  public void close() {
    try {
      body().close();
    } catch (IOException ignored) {
      conn.disconnect();
    }
  }

  static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(String message) {
      super(message);
    }
  }
}
