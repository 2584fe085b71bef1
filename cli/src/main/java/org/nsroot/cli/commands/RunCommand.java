package org.nsroot.cli.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.nsroot.cli.Console;
import org.nsroot.cli.NsrootCommand;
import org.nsroot.cli.UsageException;
import org.nsroot.cli.progress.PullProgress;
import org.nsroot.fetch.manifest.ImageConfig;
import org.nsroot.fetch.pull.PullOptions;
import org.nsroot.fetch.reference.ImageReference;
import org.nsroot.fetch.store.LocalImages;
import org.nsroot.fetch.store.NotInStoreException;
import org.nsroot.fetch.store.Store;
import org.nsroot.fetch.store.StoredImage;
import org.nsroot.rootfs.image.ImageRootfs;
import org.nsroot.runtime.helper.HelperBinary;
import org.nsroot.runtime.helper.HelperCommandLine;
import org.nsroot.runtime.image.ContainerConfig;
import org.nsroot.runtime.image.EnvFile;
import org.nsroot.runtime.image.ImageRunConfig;
import org.nsroot.runtime.image.ImageRunPlanner;
import org.nsroot.runtime.launch.Handover;
import org.nsroot.runtime.spec.CgroupLimits;
import org.nsroot.runtime.spec.InvalidRunSpecException;
import org.nsroot.runtime.spec.NetworkMode;
import org.nsroot.runtime.spec.Rlimit;
import org.nsroot.runtime.spec.RunSpec;
import org.nsroot.runtime.spec.Sizes;
import org.nsroot.runtime.spec.Volumes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nsroot run IMAGE [--] [COMMAND [ARG]...]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a command in an image, in fresh namespaces, as an ordinary user.",
        "",
        "The namespaces are user, mount, pid, ipc, uts and network. The image is pulled first if it "
            + "is not in the store.",
        "The rootfs is read-only (--writable gives a throw-away overlay); /tmp is a tmpfs; the "
            + "network is loopback only (--net host shares the host's); the command gets only the image's "
            + "environment and what -e gives.",
        "Exit status: the command's own, 128+N if signal N killed it, 124 timeout, 125 nsroot failed, "
            + "126 cannot execute, 127 command not found."})
public final class RunCommand implements Callable<Integer>, NsrootCommand.RunsPrograms {
  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image: a reference, or a short name of a stored image.")
  String image;

  @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Replaces the image's Cmd (after its Entrypoint).")
  List<String> words = new ArrayList<>();

  @Option(names = {"-e", "--env"}, paramLabel = "KEY[=VALUE]", description = "Set a variable; KEY alone copies it from here.")
  List<String> env = new ArrayList<>();

  @Option(names = "--env-file", paramLabel = "FILE", description = "Read KEY=VALUE lines.")
  List<Path> envFiles = new ArrayList<>();

  @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DST[:ro|rw]", description = "Bind a host path; DST is created if missing.")
  List<String> volumes = new ArrayList<>();

  @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside (default: the image's).")
  String workdir;

  @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]|NAME", description = "Identity inside (default: the image's User).")
  String user;

  @Option(names = "--root", description = "Run as root inside (your own uid outside).")
  boolean root;

  @Option(names = "--entrypoint", paramLabel = "CMD", description = "Replace the image's Entrypoint ('' removes it).")
  String entrypoint;

  @Option(names = "--writable", description = "Let the command write anywhere; the writes vanish at exit.")
  boolean writable;

  @Option(names = "--hostname", paramLabel = "NAME", description = "Host name inside (default: from the image's name).")
  String hostname;

  @Option(names = {"--net", "--network"}, paramLabel = "none|host",
      description = "none: loopback only (default); host: the host's network, resolv.conf and hosts.")
  String net = "none";

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Kill the whole container after SECONDS (exit 124).")
  Long timeout;

  @Option(names = "--limit", paramLabel = "NAME=VALUE,…",
      description = "Lower resource limits of the command: nofile, nproc, as, cpu, fsize, data, stack, core, memlock.")
  List<String> limits = new ArrayList<>();

  @Option(names = "--memory", paramLabel = "SIZE", description = "cgroup v2 memory.max (needs a delegated cgroup).")
  String memory;

  @Option(names = "--cpus", paramLabel = "N", description = "cgroup v2 CPU quota (needs a delegated cgroup).")
  Double cpus;

  @Option(names = "--pids-limit", paramLabel = "N", description = "cgroup v2 pids.max (needs a delegated cgroup).")
  Long pidsLimit;

  @Option(names = "--tmp-size", paramLabel = "SIZE", description = "Size of the /tmp tmpfs (default 1g).")
  String tmpSize;

  @Option(names = "--no-tty", description = "Do not give the command a terminal, even on a terminal.")
  boolean noTty;

  // docker's habits, so that `docker run --rm -it IMAGE` works as typed: nothing of a run is ever
  // kept, stdin always reaches the command, and it gets a terminal when stdin and stdout are one.
  @Option(names = "--rm", description = "Accepted as in docker; nothing of a run is ever kept.")
  boolean rm;

  @Option(names = {"-i", "--interactive"}, description = "Accepted as in docker; stdin always reaches the command.")
  boolean interactive;

  @Option(names = {"-t", "--tty"},
      description = "Accepted as in docker; the command gets a terminal when stdin and stdout are one (see --no-tty).")
  boolean tty;

  @Option(names = "--allow-nested-userns", description = "Let the command create user namespaces (default: denied).")
  boolean allowNestedUserns;

  @Option(names = "--pull", paramLabel = "missing|never|always",
      description = "When to pull: missing (default), never (offline work), always.")
  String pull = "missing";

  @Option(names = {"-q", "--quiet"}, description = "No pull progress.")
  boolean quiet;

  @Mixin RegistryOptions registry = new RegistryOptions();

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    Store store = CommandSupport.openStore(console);
    Planned planned = plan(console, store);
    Handover.to(planned.helper(), HelperCommandLine.of(planned.helper(), planned.spec()));
    return 0;
  }

  /** A run decided: the helper to start and what it is to do. */
  record Planned(HelperBinary helper, RunSpec spec) {}

  /** Finds (or pulls) the image, builds its rootfs if missing, and plans the run. */
  Planned plan(Console console, Store store) throws Exception {
    ImageRootfs rootfs = new ImageRootfs(store);
    StoredImage stored = image(console, store, rootfs);
    Path dir = CommandSupport.rootfs(console, rootfs, stored, quiet);
    RunSpec spec = ImageRunPlanner.plan(dir, stored.reference(), imageConfig(store, stored), container(console, rootfs, stored));
    return new Planned(HelperBinary.install(store.root().resolve("bin")), spec);
  }

  private StoredImage image(Console console, Store store, ImageRootfs rootfs) throws Exception {
    String policy = pull;
    if (!List.of("missing", "never", "always").contains(policy)) {
      throw new UsageException("--pull must be missing, never or always, not '" + policy + "'");
    }
    if (registry.isOffline(console)) {
      policy = "never";
    }
    // Looked up under every policy: a short name (tool:1) names the stored image
    // (quay.io/biocontainers/tool:1), so --pull=always re-checks that one at its own registry
    // rather than pulling an unrelated docker.io/library/tool:1 that shares the short name.
    Optional<StoredImage> found = LocalImages.find(store, image);
    if (found.isPresent() && (!policy.equals("always") || LocalImages.namesDigest(image, found.get()))) {
      return found.get(); // (a digest names content: there is nothing to check again)
    }
    if (policy.equals("never")) {
      throw new NotInStoreException("no image '" + image + "' in the store " + store.root()
          + ", and pulling is off (--pull=never or offline); see nsroot images");
    }
    ImageReference ref = ImageReference.parse(image);
    if (found.isPresent() && ref.digest().isEmpty()) {
      ref = ImageReference.parse(found.get().reference());
    }
    try (PullProgress progress = PullProgress.forConsole(console, quiet)) {
      return rootfs.pull(ref, registry.pullOptions(console, PullOptions.DEFAULT_JOBS), progress, progress).image().record();
    }
  }

  private static ImageRunConfig imageConfig(Store store, StoredImage image) throws Exception {
    ImageConfig c = store.config(store.manifest(image), image.reference());
    return ImageRunConfig.builder()
        .env(c.env())
        .workingDir(c.workingDir())
        .entrypoint(c.entrypoint())
        .cmd(c.cmd())
        .user(c.user())
        .build();
  }

  private ContainerConfig container(Console console, ImageRootfs rootfs, StoredImage image) throws Exception {
    if (workdir != null && !workdir.startsWith("/")) {
      throw new UsageException("--workdir must be an absolute path inside the image, not '" + workdir + "'");
    }
    // With options stopping at the image, a "--" after it is still a separator, as in docker.
    List<String> command = !words.isEmpty() && words.get(0).equals("--") ? words.subList(1, words.size()) : words;
    ContainerConfig.Builder b = ContainerConfig.builder()
        .command(command)
        .user(user)
        .root(root)
        .workdir(workdir)
        .writable(writable)
        .hostname(hostname)
        .tty(!noTty && console.stdioIsTerminal())
        .allowNestedUserns(allowNestedUserns)
        .lockFile(rootfs.lockFile(image));
    if (entrypoint != null) {
      b.entrypoint(entrypoint.isEmpty() ? List.of() : List.of(entrypoint));
    }
    Map<String, String> vars = new LinkedHashMap<>();
    for (Path f : envFiles) {
      vars.putAll(EnvFile.read(f, console.env()));
    }
    for (String e : env) {
      int eq = e.indexOf('=');
      if (eq == 0) {
        throw new UsageException("invalid -e " + e + ": the name is empty");
      }
      if (eq > 0) {
        vars.put(e.substring(0, eq), e.substring(eq + 1));
      } else if (console.env().containsKey(e)) {
        vars.put(e, console.env().get(e));
      }
    }
    b.env(vars);
    Path cwd = Path.of("").toAbsolutePath();
    for (String v : volumes) {
      b.mount(Volumes.parse(v, cwd));
    }
    b.network(switch (net) {
      case "none" -> NetworkMode.ISOLATED;
      case "host" -> NetworkMode.HOST;
      default -> throw new UsageException("--net must be none or host, not '" + net + "'");
    });
    if (timeout != null) {
      if (timeout <= 0) {
        throw new UsageException("--timeout must be a positive number of seconds");
      }
      b.timeout(Duration.ofSeconds(timeout));
    }
    for (String l : limits) {
      b.rlimits(Rlimit.parseList(l));
    }
    if (memory != null || cpus != null || pidsLimit != null) {
      try {
        b.cgroup(new CgroupLimits(memory == null ? 0 : Sizes.parseBytes(memory), cpus == null ? 0 : cpus,
            pidsLimit == null ? 0 : pidsLimit));
      } catch (IllegalArgumentException e) {
        throw new InvalidRunSpecException(e.getMessage());
      }
    }
    if (tmpSize != null) {
      try {
        b.tmpSizeBytes(Sizes.parseBytes(tmpSize));
      } catch (IllegalArgumentException e) {
        throw new UsageException("invalid --tmp-size " + tmpSize);
      }
    }
    return b.build();
  }
}
