package org.nsroot.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.manifest.ImageManifest;
import org.nsroot.fetch.manifest.Json;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code nsroot inspect IMAGE}: the stored manifest and config, as JSON. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Print the manifest and config of a stored image as JSON.")
public final class InspectCommand implements Callable<Integer> {
  @Mixin StoredImageArgument image = new StoredImageArgument();

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    StoredImageArgument.Found found = image.find(console);
    Store store = found.store();
    StoredImage i = found.image();
    ImageManifest manifest = store.manifest(i);
    ImageConfig config = store.config(manifest, i.reference());
    ObjectNode out = Json.object();
    out.put("reference", i.reference());
    out.put("digest", i.manifest().digest().toString());
    if (i.indexDigest() != null) {
      out.put("indexDigest", i.indexDigest().toString());
    }
    if (i.platform() != null) {
      out.put("platform", i.platform().toString());
    }
    out.put("pulled", i.pulled().toString());
    out.set("manifest", Json.read(manifest.raw()));
    out.set("config", Json.read(config.raw()));
    console.out().println(new String(Json.pretty(out), StandardCharsets.UTF_8));
    return 0;
  }
}
