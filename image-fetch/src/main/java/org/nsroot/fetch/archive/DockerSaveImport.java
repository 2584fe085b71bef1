package org.nsroot.fetch.archive;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.nsroot.fetch.FetchException;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.Digest;
import org.nsroot.fetch.manifest.Descriptor;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.Json;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;

/**
 * Imports a {@code docker save} tarball: {@code manifest.json} names a config and layer tars by
 * path. Each file is staged under a number, never under its archive name, and each layer must
 * hash to the diff_id its config lists.
 */
final class DockerSaveImport {
  private static final int MAX_JSON_BYTES = 8 << 20;
  private static final int MAX_LINK_HOPS = 8;

  private final Store store;
  private final ImageImporter importer;

  DockerSaveImport(Store store, ImageImporter importer) {
    this.store = store;
    this.importer = importer;
  }

  private record Staged(Path file, Digest digest, long size) {}

  List<StoredImage> run(Path archive, ImageReference forced, String label) throws FetchException, IOException {
    Path staging = store.tmp().resolve("import-" + UUID.randomUUID());
    Files.createDirectory(staging);
    try {
      Map<String, Staged> files = new HashMap<>();
      Map<String, String> links = new HashMap<>();
      try (TarArchiveInputStream tar = ArchiveEntries.open(archive)) {
        TarArchiveEntry e;
        int n = 0;
        while ((e = tar.getNextEntry()) != null) {
          String name = ArchiveEntries.normalise(e.getName());
          if (e.isSymbolicLink()) {
            links.put(name, e.getLinkName());
          } else if (e.isFile()) {
            Path f = staging.resolve(Integer.toString(n++));
            Hashing.Copied c = Hashing.toFile(tar, f);
            files.put(name, new Staged(f, c.digest(), c.size()));
          }
        }
      }
      JsonNode manifest = json(resolve(files, links, "manifest.json", label), "manifest.json", label);
      if (!manifest.isArray() || manifest.isEmpty()) {
        throw new ImportException("manifest.json of " + label + " lists no images");
      }
      // Every image is checked before any is stored: one bad image in an archive stores none.
      Map<Path, ArchivedLayer> layers = new HashMap<>();
      List<Planned> plans = new ArrayList<>();
      for (JsonNode image : manifest) {
        plans.add(plan(image, files, links, forced, label, layers));
        if (forced != null) {
          break;
        }
      }
      for (Map.Entry<Path, ArchivedLayer> l : layers.entrySet()) {
        store.adopt(l.getKey(), l.getValue().descriptor().digest());
      }
      List<StoredImage> out = new ArrayList<>();
      for (Planned p : plans) {
        for (ImageReference name : p.names()) {
          out.add(importer.record(name, p.config(), p.layers(), null));
        }
      }
      return out;
    } finally {
      ImageImporter.deleteQuietly(staging);
    }
  }

  /** One image of the archive, checked, not yet stored. */
  private record Planned(List<ImageReference> names, byte[] config, List<Descriptor> layers) {}

  private Planned plan(JsonNode image, Map<String, Staged> files, Map<String, String> links, ImageReference forced,
      String label, Map<Path, ArchivedLayer> known) throws FetchException, IOException {
    Staged configFile = resolve(files, links, image.path("Config").asText(""), label);
    if (configFile.size() > MAX_JSON_BYTES) {
      throw new ImportException("the config in " + label + " is larger than " + MAX_JSON_BYTES + " bytes");
    }
    byte[] config = Files.readAllBytes(configFile.file());
    ImageConfig parsed = ImageConfig.parse(config, label);
    JsonNode layerPaths = image.path("Layers");
    if (!layerPaths.isArray() || layerPaths.size() != parsed.diffIds().size()) {
      throw new ImportException(label + " lists " + layerPaths.size() + " layers for "
          + parsed.diffIds().size() + " layer digests in its config");
    }
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < layerPaths.size(); i++) {
      Staged staged = resolve(files, links, layerPaths.get(i).asText(""), label);
      // Worked out once however many images share the file.
      ArchivedLayer layer = known.get(staged.file());
      if (layer == null) {
        layer = ArchivedLayer.of(staged.file(), staged.digest(), staged.size());
        known.put(staged.file(), layer);
      }
      if (!layer.diffId().equals(parsed.diffIds().get(i))) {
        throw new ContentMismatchException("layer " + (i + 1) + " of " + label + " (" + layerPaths.get(i).asText()
            + ") hashes to " + layer.diffId() + " but its config says " + parsed.diffIds().get(i));
      }
      layers.add(layer.descriptor());
    }
    if (forced != null) {
      return new Planned(List.of(forced), config, layers);
    }
    List<String> tags = new ArrayList<>();
    image.path("RepoTags").forEach(t -> tags.add(t.asText()));
    if (tags.isEmpty()) {
      throw new ImportException(label + " has an image without a name (RepoTags); pass --name");
    }
    return new Planned(ImageImporter.names(tags, label), config, layers);
  }

  /** The staged file for an archive path, following the archive's own symlinks (never the host's). */
  private static Staged resolve(Map<String, Staged> files, Map<String, String> links, String path, String label)
      throws ImportException {
    String p = ArchiveEntries.normalise(path);
    for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      Staged s = files.get(p);
      if (s != null) {
        return s;
      }
      String target = links.get(p);
      if (target == null) {
        break;
      }
      p = join(p, target);
    }
    throw new ImportException(label + " lacks '" + path + "', which its manifest.json names");
  }

  private static String join(String link, String target) {
    if (target.startsWith("/")) {
      return ArchiveEntries.normalise(target);
    }
    List<String> parts = new ArrayList<>(List.of(link.split("/")));
    parts.remove(parts.size() - 1);
    for (String t : target.split("/")) {
      if (t.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else if (!t.equals(".") && !t.isEmpty()) {
        parts.add(t);
      }
    }
    return String.join("/", parts);
  }

  private static JsonNode json(Staged file, String what, String label) throws ImportException, IOException {
    if (file.size() > MAX_JSON_BYTES) {
      throw new ImportException(what + " of " + label + " is larger than " + MAX_JSON_BYTES + " bytes");
    }
    try {
      return Json.read(Files.readAllBytes(file.file()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ImportException(what + " of " + label + " is not valid JSON");
    }
  }
}
