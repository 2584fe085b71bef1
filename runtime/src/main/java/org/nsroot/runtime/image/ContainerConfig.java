package org.nsroot.runtime.image;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nsroot.runtime.spec.CgroupLimits;
import org.nsroot.runtime.spec.Mount;
import org.nsroot.runtime.spec.NetworkMode;
import org.nsroot.runtime.spec.Rlimit;

/**
 * What the caller asks of one run of an image, on top of the image's own config: the CLI's
 * options of {@code nsroot run}. Immutable; built with {@link #builder()}; everything is optional.
 */
public final class ContainerConfig {
  /** Default size of the /tmp tmpfs: enough for most tools, bounded so /tmp cannot eat all RAM. */
  public static final long DEFAULT_TMP_BYTES = 1L << 30;

  private final List<String> command;
  private final List<String> entrypoint;
  private final Map<String, String> env;
  private final String user;
  private final boolean root;
  private final String workdir;
  private final List<Mount> mounts;
  private final boolean writable;
  private final long overlaySizeBytes;
  private final long tmpSizeBytes;
  private final String hostname;
  private final NetworkMode network;
  private final List<Rlimit> rlimits;
  private final long pidsMax;
  private final CgroupLimits cgroup;
  private final Duration timeout;
  private final boolean tty;
  private final boolean allowNestedUserns;
  private final Path lockFile;

  private ContainerConfig(Builder b) {
    command = List.copyOf(b.command);
    entrypoint = b.entrypoint == null ? null : List.copyOf(b.entrypoint);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    user = b.user;
    root = b.root;
    workdir = b.workdir;
    mounts = List.copyOf(b.mounts);
    writable = b.writable;
    overlaySizeBytes = b.overlaySizeBytes;
    tmpSizeBytes = b.tmpSizeBytes;
    hostname = b.hostname;
    network = b.network;
    rlimits = List.copyOf(b.rlimits);
    pidsMax = b.pidsMax;
    cgroup = b.cgroup;
    timeout = b.timeout;
    tty = b.tty;
    allowNestedUserns = b.allowNestedUserns;
    lockFile = b.lockFile;
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Words after {@code --}: they replace the image's Cmd; empty when none were given. */
  public List<String> command() { return command; }

  /** {@code --entrypoint}: replaces the image's Entrypoint (and then its Cmd is dropped). */
  public Optional<List<String>> entrypoint() { return Optional.ofNullable(entrypoint); }

  /** {@code -e} and {@code --env-file} variables, applied over the image's Env. */
  public Map<String, String> env() { return env; }

  /** {@code --user UID[:GID]} or a name, if given. */
  public Optional<String> user() { return Optional.ofNullable(user); }

  /** {@code --root}: root inside, whatever the image's User. */
  public boolean root() { return root; }

  /** {@code --workdir}, if given. */
  public Optional<String> workdir() { return Optional.ofNullable(workdir); }

  /** Volumes and extra tmpfs mounts. */
  public List<Mount> mounts() { return mounts; }

  /** {@code --writable}: an overlay whose writes vanish at exit. */
  public boolean writable() { return writable; }

  /** Size of the overlay's tmpfs, 0 for the default. */
  public long overlaySizeBytes() { return overlaySizeBytes; }

  /** Size of the /tmp tmpfs. */
  public long tmpSizeBytes() { return tmpSizeBytes; }

  /** {@code --hostname}, if given. */
  public Optional<String> hostname() { return Optional.ofNullable(hostname); }

  /** {@code --net}. */
  public NetworkMode network() { return network; }

  /** {@code --limit}. */
  public List<Rlimit> rlimits() { return rlimits; }

  /** Process cap (per-namespace pid_max), 0 for none. */
  public long pidsMax() { return pidsMax; }

  /** cgroup limits (memory, cpus, pids). */
  public CgroupLimits cgroup() { return cgroup; }

  /** {@code --timeout}, if given. */
  public Optional<Duration> timeout() { return Optional.ofNullable(timeout); }

  /** Interactive: a new terminal for the command. */
  public boolean tty() { return tty; }

  /** Whether the command may create user namespaces. */
  public boolean allowNestedUserns() { return allowNestedUserns; }

  /** A file the helper holds a shared lock on while the container runs (the rootfs's). */
  public Optional<Path> lockFile() { return Optional.ofNullable(lockFile); }

  /** Builder for {@link ContainerConfig}. */
  public static final class Builder {
    private List<String> command = List.of();
    private List<String> entrypoint;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String user;
    private boolean root;
    private String workdir;
    private final List<Mount> mounts = new ArrayList<>();
    private boolean writable;
    private long overlaySizeBytes;
    private long tmpSizeBytes = DEFAULT_TMP_BYTES;
    private String hostname;
    private NetworkMode network = NetworkMode.ISOLATED;
    private final List<Rlimit> rlimits = new ArrayList<>();
    private long pidsMax;
    private CgroupLimits cgroup = CgroupLimits.NONE;
    private Duration timeout;
    private boolean tty;
    private boolean allowNestedUserns;
    private Path lockFile;

    private Builder() {}

    /** The words after {@code --}. */
    public Builder command(List<String> words) { command = List.copyOf(words); return this; }

    /** {@code --entrypoint}; an empty list clears the image's Entrypoint. */
    public Builder entrypoint(List<String> words) { entrypoint = words == null ? null : List.copyOf(words); return this; }

    /** One {@code -e KEY=VALUE}. */
    public Builder env(String key, String value) { env.put(key, value); return this; }

    /** Several variables (an env file), in order. */
    public Builder env(Map<String, String> vars) { env.putAll(vars); return this; }

    /** {@code --user}. */
    public Builder user(String u) { user = u; return this; }

    /** {@code --root}. */
    public Builder root(boolean r) { root = r; return this; }

    /** {@code --workdir}. */
    public Builder workdir(String dir) { workdir = dir; return this; }

    /** Adds a volume or tmpfs. */
    public Builder mount(Mount m) { mounts.add(m); return this; }

    /** {@code --writable}. */
    public Builder writable(boolean w) { writable = w; return this; }

    /** Size of the overlay's tmpfs. */
    public Builder overlaySizeBytes(long bytes) { overlaySizeBytes = bytes; return this; }

    /** Size of /tmp; 0 for the kernel's default (half of RAM). */
    public Builder tmpSizeBytes(long bytes) { tmpSizeBytes = bytes; return this; }

    /** {@code --hostname}. */
    public Builder hostname(String h) { hostname = h; return this; }

    /** {@code --net}. */
    public Builder network(NetworkMode n) { network = n; return this; }

    /** Adds a {@code --limit}. */
    public Builder rlimit(Rlimit r) { rlimits.add(r); return this; }

    /** Adds limits, as {@link Rlimit#parseList} returns them. */
    public Builder rlimits(List<Rlimit> rs) { rlimits.addAll(rs); return this; }

    /** Process cap. */
    public Builder pidsMax(long max) { pidsMax = max; return this; }

    /** cgroup limits. */
    public Builder cgroup(CgroupLimits c) { cgroup = c; return this; }

    /** {@code --timeout}. */
    public Builder timeout(Duration t) { timeout = t; return this; }

    /** Interactive terminal. */
    public Builder tty(boolean t) { tty = t; return this; }

    /** Allows nested user namespaces. */
    public Builder allowNestedUserns(boolean a) { allowNestedUserns = a; return this; }

    /** A file to hold a shared lock on while the container runs. */
    public Builder lockFile(Path file) { lockFile = file; return this; }

    /** Makes the config. */
    public ContainerConfig build() { return new ContainerConfig(this); }
  }
}
