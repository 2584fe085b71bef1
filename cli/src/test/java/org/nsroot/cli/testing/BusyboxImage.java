package org.nsroot.cli.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.nsroot.fetch.testing.Compression;
import org.nsroot.fetch.testing.TarBuilder;
import org.nsroot.fetch.testing.TestImage;

/**
 * A runnable test image made from Debian's static busybox ({@code busybox-static}): {@code
 * /bin/busybox} with every applet as a symlink to it, {@code /etc/passwd} and {@code /etc/group},
 * and whatever files a test adds; its config has the Env, Entrypoint, Cmd, WorkingDir and User a
 * test sets. No network is needed to make one.
 */
public final class BusyboxImage {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static byte[] busybox;
  private static List<String> applets;

  private record Entry(String path, byte[] content, int mode) {}

  private final List<String> env = new ArrayList<>(List.of("PATH=/bin"));
  private List<String> entrypoint;
  private List<String> cmd = List.of("sh");
  private String workingDir;
  private String user;
  private final StringBuilder passwd = new StringBuilder("root:x:0:0:root:/root:/bin/sh\n");
  private final StringBuilder group = new StringBuilder("root:x:0:\n");
  private final Set<String> dirs = new LinkedHashSet<>(List.of("bin", "etc", "root"));
  private final List<Entry> files = new ArrayList<>();

  private BusyboxImage() {}

  public static BusyboxImage create() {
    return new BusyboxImage();
  }

  /** Adds a KEY=VALUE to the image's Env (PATH=/bin is there already). */
  public BusyboxImage env(String kv) {
    env.add(kv);
    return this;
  }

  public BusyboxImage entrypoint(String... words) {
    entrypoint = List.of(words);
    return this;
  }

  public BusyboxImage cmd(String... words) {
    cmd = List.of(words);
    return this;
  }

  public BusyboxImage workingDir(String dir) {
    workingDir = dir;
    dir(dir);
    return this;
  }

  /** The config's User field, as written ({@code name}, {@code uid}, {@code uid:gid}). */
  public BusyboxImage user(String spec) {
    user = spec;
    return this;
  }

  /** An account in the image's own /etc/passwd and /etc/group, with its home directory. */
  public BusyboxImage account(String name, int uid, String groupName, int gid, String home) {
    passwd.append(name).append(":x:").append(uid).append(':').append(gid).append("::").append(home).append(":/bin/sh\n");
    group.append(groupName).append(":x:").append(gid).append(":\n");
    dir(home);
    return this;
  }

  public BusyboxImage dir(String path) {
    String p = strip(path);
    for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
      dirs.add(p.substring(0, i));
    }
    dirs.add(p);
    return this;
  }

  public BusyboxImage file(String path, String content, int mode) {
    String p = strip(path);
    int slash = p.lastIndexOf('/');
    if (slash > 0) {
      dir(p.substring(0, slash));
    }
    files.add(new Entry(p, content.getBytes(StandardCharsets.UTF_8), mode));
    return this;
  }

  /** An executable shell script ({@code #!/bin/sh} is added). */
  public BusyboxImage script(String path, String body) {
    return file(path, "#!/bin/sh\n" + body + "\n", 0755);
  }

  /** The layer: a tar as {@code docker export} would write it. */
  public byte[] tar() throws IOException {
    TarBuilder t = new TarBuilder();
    for (String d : dirs) {
      t.dir(d);
    }
    t.file("bin/busybox", busybox(), 0755);
    for (String applet : applets()) {
      t.symlink("bin/" + applet, "busybox");
    }
    t.file("etc/passwd", passwd.toString());
    t.file("etc/group", group.toString());
    for (Entry e : files) {
      t.file(e.path(), e.content(), e.mode());
    }
    return t.build();
  }

  /** The image: one gzip layer, an OCI manifest, and this config. */
  public TestImage build() throws IOException {
    TestImage img = TestImage.oci().layer(tar(), Compression.GZIP).build();
    ObjectNode cfg = (ObjectNode) JSON.readTree(img.config);
    ObjectNode c = cfg.putObject("config");
    ArrayNode e = c.putArray("Env");
    env.forEach(e::add);
    if (entrypoint != null) {
      ArrayNode ep = c.putArray("Entrypoint");
      entrypoint.forEach(ep::add);
    }
    if (cmd != null) {
      ArrayNode cm = c.putArray("Cmd");
      cmd.forEach(cm::add);
    }
    if (workingDir != null) {
      c.put("WorkingDir", workingDir);
    }
    if (user != null) {
      c.put("User", user);
    }
    byte[] config = JSON.writeValueAsBytes(cfg);
    img.blobs.remove(TestImage.sha256(img.config));
    img.config = config;
    img.blobs.put(TestImage.sha256(config), config);
    ObjectNode m = (ObjectNode) JSON.readTree(img.manifest);
    ((ObjectNode) m.get("config")).put("digest", TestImage.sha256(config)).put("size", config.length);
    img.manifest = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    return img;
  }

  /** The host's static busybox binary. */
  public static synchronized byte[] busybox() throws IOException {
    if (busybox == null) {
      busybox = Files.readAllBytes(Path.of("/bin/busybox"));
    }
    return busybox;
  }

  /** The applets of the host's busybox ({@code busybox --list}), without busybox itself. */
  public static synchronized List<String> applets() throws IOException {
    if (applets == null) {
      Process p = new ProcessBuilder("/bin/busybox", "--list").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (p.waitFor() != 0) {
          throw new IOException("busybox --list failed: " + out);
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IOException(ex);
      }
      applets = out.lines().map(String::trim).filter(a -> !a.isEmpty() && !a.equals("busybox") && !a.contains("/")).toList();
    }
    return applets;
  }

  private static String strip(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
