package org.nsroot.fetch.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Pushes test images to a registry through the distribution API (monolithic uploads). */
public final class RegistryPusher {
  private final URI base;
  private final String authorization;

  public RegistryPusher(URI base) {
    this(base, null, null);
  }

  public RegistryPusher(URI base, String user, String password) {
    this.base = base;
    this.authorization = user == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Pushes every blob of {@code image} and its manifest under {@code tag}. */
  public void push(String repository, String tag, TestImage image) throws IOException {
    for (Map.Entry<String, byte[]> blob : image.blobs.entrySet()) {
      pushBlob(repository, blob.getKey(), blob.getValue());
    }
    pushManifest(repository, tag, image.manifest, image.manifestType());
  }

  public void pushBlob(String repository, String digest, byte[] bytes) throws IOException {
    HttpURLConnection post = open(base.resolve("/v2/" + repository + "/blobs/uploads/"), "POST");
    post.setFixedLengthStreamingMode(0);
    post.setDoOutput(true);
    post.getOutputStream().close();
    expect(post, 202);
    String location = post.getHeaderField("Location");
    URI upload = base.resolve(location);
    String sep = upload.getRawQuery() == null ? "?" : "&";
    HttpURLConnection put = open(URI.create(upload + sep + "digest=" + digest), "PUT");
    put.setRequestProperty("Content-Type", "application/octet-stream");
    send(put, bytes);
    expect(put, 201);
  }

  public void pushManifest(String repository, String reference, byte[] manifest, String mediaType) throws IOException {
    HttpURLConnection put = open(base.resolve("/v2/" + repository + "/manifests/" + reference), "PUT");
    put.setRequestProperty("Content-Type", mediaType);
    send(put, manifest);
    expect(put, 201);
  }

  private HttpURLConnection open(URI uri, String method) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setRequestMethod(method);
    if (authorization != null) {
      c.setRequestProperty("Authorization", authorization);
    }
    return c;
  }

  private static void send(HttpURLConnection c, byte[] body) throws IOException {
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    }
  }

  private static void expect(HttpURLConnection c, int status) throws IOException {
    int got = c.getResponseCode();
    if (got != status) {
      String err = c.getErrorStream() == null ? "" : new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      throw new IOException(c.getRequestMethod() + " " + c.getURL() + " answered " + got + ": " + err);
    }
  }
}
