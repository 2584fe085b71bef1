package org.nsroot.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.cli.format.Sizes;
import org.nsroot.cli.format.Table;
import org.nsroot.fetch.manifest.Json;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nsroot images}. */
@Command(name = "images", mixinStandardHelpOptions = true, description = "List the images in the local store.")
public final class ImagesCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print JSON, one object per image.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    Store store = CommandSupport.openStore(console);
    List<StoredImage> images = store.images();
    if (json) {
      ArrayNode list = Json.array();
      for (StoredImage i : images) {
        NameAndTag nt = NameAndTag.of(i.reference());
        ObjectNode o = list.addObject();
        o.put("reference", i.reference());
        o.put("repository", nt.name());
        o.put("tag", nt.tag());
        o.put("digest", i.manifest().digest().toString());
        o.put("size", i.contentSize());
        o.put("pulled", i.pulled().toString());
        if (i.platform() != null) {
          o.put("platform", i.platform().toString());
        }
      }
      console.out().println(new String(Json.pretty(list), StandardCharsets.UTF_8));
      return 0;
    }
    Instant now = Instant.now();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REPOSITORY", "TAG", "DIGEST", "SIZE", "PULLED"});
    for (StoredImage i : images) {
      NameAndTag nt = NameAndTag.of(i.reference());
      rows.add(new String[] {nt.shortName(), nt.tag().isEmpty() ? "<none>" : nt.tag(), i.manifest().digest().shortHex(),
          Sizes.bytes(i.contentSize()), Sizes.age(i.pulled(), now)});
    }
    Table.print(console.out(), rows);
    return 0;
  }

  /** Splits a stored reference for display. */
  record NameAndTag(String name, String tag) {
    /** Docker Hub names as docker shows them: {@code ubuntu}, {@code biocontainers/comet}. */
    String shortName() {
      if (name.startsWith("docker.io/library/")) {
        return name.substring("docker.io/library/".length());
      }
      return name.startsWith("docker.io/") ? name.substring("docker.io/".length()) : name;
    }

    static NameAndTag of(String reference) {
      String r = reference;
      int at = r.indexOf('@');
      if (at >= 0) {
        r = r.substring(0, at);
      }
      int colon = r.lastIndexOf(':');
      if (colon > r.lastIndexOf('/')) {
        return new NameAndTag(r.substring(0, colon), r.substring(colon + 1));
      }
      return new NameAndTag(r, "");
    }
  }
}
