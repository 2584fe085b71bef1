package org.nsroot.runtime.image;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nsroot.runtime.spec.InvalidRunSpecException;
import org.nsroot.runtime.spec.Mount;
import org.nsroot.runtime.spec.RootfsMode;
import org.nsroot.runtime.spec.RunSpec;

/**
 * Applies docker's semantics to an image's config and the caller's options, giving the
 * {@link RunSpec} of one run:
 *
 * <ul>
 *   <li>command: Entrypoint + Cmd; words after {@code --} replace Cmd; {@code --entrypoint}
 *       replaces Entrypoint and drops the image's Cmd;
 *   <li>environment: the image's Env, PATH defaulted, HOME always set (from the user's passwd
 *       entry, else / or /root), HOSTNAME, TERM for a terminal, then the caller's variables;
 *   <li>identity: {@code --root}, else {@code --user}, else the image's User, looked up in the
 *       image's own files; the invoking user is mapped to it; a passwd and group entry is added
 *       (as a generated file mounted read-only) when the image lacks one;
 *   <li>working directory: {@code --workdir}, else WorkingDir, else /;
 *   <li>filesystem: read-only (or {@code --writable}), a tmpfs on /tmp, the caller's volumes.
 * </ul>
 */
public final class ImageRunPlanner {
  /** Docker's default PATH, for images whose Env has none. */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  /** Caps on an untrusted Env: far above any real image, far below the kernel's argument limit. */
  static final int MAX_ENV_ENTRIES = 4096;
  static final int MAX_ENV_BYTES = 512 * 1024;

  private ImageRunPlanner() {}

  /**
   * Plans a run.
   *
   * @param rootfs the image's flattened rootfs (absolute)
   * @param imageName the image's name, for messages and the default host name
   * @param image the image's config
   * @param container the caller's options
   * @return the run
   * @throws ImageConfigException if the image's config cannot be used (named in the message)
   * @throws InvalidRunSpecException if the caller's options cannot be
   */
  public static RunSpec plan(Path rootfs, String imageName, ImageRunConfig image, ContainerConfig container)
      throws ImageConfigException, InvalidRunSpecException {
    if (!rootfs.isAbsolute() || !Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidRunSpecException("rootfs is not a directory: " + rootfs);
    }
    List<String> argv = command(image, container, imageName);
    String userSpec = container.root() ? "0:0" : container.user().orElse(image.user());
    ResolvedUser user = ImageUsers.resolve(rootfs, userSpec);

    Map<String, String> env = imageEnv(image.env());
    env.putIfAbsent("PATH", DEFAULT_PATH);
    String hostname = container.hostname().isPresent() ? container.hostname().get() : hostnameOf(imageName);
    env.putIfAbsent("HOSTNAME", hostname);
    env.putIfAbsent("HOME", user.home().orElse(user.uid() == 0 ? "/root" : "/"));
    if (container.tty()) {
      env.putIfAbsent("TERM", "xterm");
    }
    env.putAll(container.env());

    String workdir = container.workdir().orElse(image.workingDir());
    if (workdir.isEmpty()) {
      workdir = "/";
    } else if (!workdir.startsWith("/")) {
      // docker resolves a relative WorkingDir against /; the helper resolves it inside the rootfs
      workdir = "/" + workdir;
    }

    try {
      RunSpec.Builder b = RunSpec.builder(rootfs)
          .imageName(imageName)
          .rootfsMode(container.writable() ? RootfsMode.OVERLAY : RootfsMode.READ_ONLY)
          .argv(argv)
          .env(env)
          .workdir(workdir)
          .ids(user.uid(), user.gid())
          .hostname(hostname)
          .network(container.network())
          .pidsMax(container.pidsMax())
          .cgroup(container.cgroup())
          .timeout(container.timeout().orElse(null))
          .tty(container.tty())
          .allowNestedUserns(container.allowNestedUserns())
          .lockFile(container.lockFile().orElse(null));
      if (container.writable()) {
        b.overlaySizeBytes(container.overlaySizeBytes());
      }
      b.mount(new Mount.Tmpfs("/tmp", container.tmpSizeBytes(), 01777));
      // (Loops, not lambdas: each lambda's bootstrap costs start-up time on the CLI's path.)
      if (user.passwdFile().isPresent()) {
        b.mount(new Mount.InlineFile("/etc/passwd", user.passwdFile().get()));
      }
      if (user.groupFile().isPresent()) {
        b.mount(new Mount.InlineFile("/etc/group", user.groupFile().get()));
      }
      for (Mount m : container.mounts()) {
        b.mount(m);
      }
      for (org.nsroot.runtime.spec.Rlimit r : container.rlimits()) {
        b.rlimit(r);
      }
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidRunSpecException(e.getMessage());
    }
  }

  /** Entrypoint + Cmd with docker's override rules. */
  static List<String> command(ImageRunConfig image, ContainerConfig container, String imageName)
      throws ImageConfigException {
    List<String> entrypoint = container.entrypoint().orElse(image.entrypoint().orElse(List.of()));
    List<String> cmd;
    if (!container.command().isEmpty()) {
      cmd = container.command();
    } else if (container.entrypoint().isPresent()) {
      cmd = List.of(); // docker: a new entrypoint does not inherit the image's Cmd
    } else {
      cmd = image.cmd().orElse(List.of());
    }
    List<String> argv = new ArrayList<>(entrypoint);
    argv.addAll(cmd);
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new ImageConfigException("no command: image " + imageName
          + " has no Entrypoint or Cmd; give one after --");
    }
    for (String a : argv) {
      if (a.indexOf('\0') >= 0) {
        throw new ImageConfigException("image " + imageName + ": a command argument holds NUL");
      }
    }
    return argv;
  }

  /** The image's Env, checked: every entry KEY=VALUE, bounded in number and size (E1). */
  static Map<String, String> imageEnv(List<String> entries) throws ImageConfigException {
    if (entries.size() > MAX_ENV_ENTRIES) {
      throw new ImageConfigException("the image's Env has " + entries.size() + " entries; at most "
          + MAX_ENV_ENTRIES + " are accepted");
    }
    Map<String, String> env = new LinkedHashMap<>();
    long bytes = 0;
    for (String e : entries) {
      int eq = e == null ? -1 : e.indexOf('=');
      if (eq <= 0 || e.indexOf('\0') >= 0) {
        String shown = e == null ? "null" : e.length() > 60 ? e.substring(0, 60) + "…" : e;
        throw new ImageConfigException("the image's Env has a malformed entry (want KEY=VALUE): " + shown);
      }
      bytes += e.length();
      if (bytes > MAX_ENV_BYTES) {
        throw new ImageConfigException("the image's Env is larger than " + MAX_ENV_BYTES + " bytes");
      }
      env.put(e.substring(0, eq), e.substring(eq + 1));
    }
    return env;
  }

  /**
   * A host name from an image reference: {@code quay.io/biocontainers/comet:2.3@sha256:…} gives
   * {@code comet}.
   */
  public static String hostnameOf(String imageName) {
    String s = imageName;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int slash = s.lastIndexOf('/');
    s = s.substring(slash + 1);
    int colon = s.indexOf(':');
    if (colon >= 0) {
      s = s.substring(0, colon);
    }
    StringBuilder name = new StringBuilder(s.length());
    for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (alnum || name.length() > 0) { // leading dots and dashes are dropped
        name.append(alnum || c == '.' || c == '-' ? c : '-');
      }
      if (name.length() == 63) {
        break;
      }
    }
    return name.length() == 0 ? "nsroot" : name.toString();
  }
}
