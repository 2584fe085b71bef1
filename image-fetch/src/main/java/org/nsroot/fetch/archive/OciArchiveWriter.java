package org.nsroot.fetch.archive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.ImageManifest;
import org.nsroot.fetch.manifest.Json;
import org.nsroot.fetch.manifest.MediaTypes;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoreException;
import org.nsroot.fetch.store.StoredImage;

/**
 * {@code nsroot save}: one stored image as an OCI archive (a tar of an OCI layout), which
 * {@code nsroot import} on another machine and {@code skopeo copy oci-archive:} load.
 */
public final class OciArchiveWriter {
  private final Store store;

  public OciArchiveWriter(Store store) {
    this.store = store;
  }

  public void write(StoredImage image, OutputStream out) throws FetchException, IOException {
    ImageManifest m = store.manifest(image);
    Set<Digest> blobs = new LinkedHashSet<>();
    blobs.add(m.config().digest());
    for (Descriptor l : m.layers()) {
      blobs.add(l.digest());
    }
    blobs.add(m.digest());
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    small(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    small(tar, "index.json", index(image));
    dir(tar, "blobs/");
    dir(tar, "blobs/sha256/");
    for (Digest d : blobs) {
      TarArchiveEntry e = new TarArchiveEntry("blobs/" + d.algorithm() + "/" + d.hex());
      e.setSize(Files.size(store.blobPath(d)));
      e.setMode(0100444);
      tar.putArchiveEntry(e);
      try (InputStream in = store.openVerified(d)) {
        in.transferTo(tar);
      } catch (Store.CorruptBlobException ex) {
        throw new StoreException(ex.getMessage());
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
    tar.flush();
  }

  private static byte[] index(StoredImage image) throws IOException {
    ObjectNode idx = Json.object();
    idx.put("schemaVersion", 2);
    idx.put("mediaType", MediaTypes.OCI_INDEX);
    ObjectNode m = idx.putArray("manifests").addObject();
    m.put("mediaType", image.manifest().mediaType());
    m.put("digest", image.manifest().digest().toString());
    m.put("size", image.manifest().size());
    if (image.platform() != null) {
      Json.putPlatform(m, image.platform());
    }
    m.putObject("annotations").put("org.opencontainers.image.ref.name", image.reference());
    return Json.bytes(idx);
  }

  private static void small(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(bytes.length);
    e.setMode(0100644);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

}
