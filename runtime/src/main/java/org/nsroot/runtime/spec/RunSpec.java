package org.nsroot.runtime.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run needs, decided: the rootfs and how it is presented, the command and its
 * environment, ids, mounts, namespaces, limits. Immutable; built with {@link #builder(Path)}.
 *
 * <p>A RunSpec holds policy already applied (docker semantics, the user lookup): the helper only
 * carries it out. {@link org.nsroot.runtime.image.ImageRunPlanner} makes one from an image; a
 * library caller may also build one directly.
 *
 * <p>Always new: user, mount, pid and uts namespaces. Optional: network (see {@link NetworkMode})
 * and IPC ({@link Builder#shareIpc}).
 */
public final class RunSpec {

  private final Path rootfs;
  private final String imageName;
  private final RootfsMode rootfsMode;
  private final long overlaySizeBytes;
  private final List<String> argv;
  private final Map<String, String> env;
  private final String workdir;
  private final long uid;
  private final long gid;
  private final List<IdMap> uidMap;
  private final List<IdMap> gidMap;
  private final String hostname;
  private final NetworkMode network;
  private final boolean shareIpc;
  private final boolean sysfs;
  private final List<Mount> mounts;
  private final List<Rlimit> rlimits;
  private final long pidsMax;
  private final CgroupLimits cgroup;
  private final Duration timeout;
  private final boolean tty;
  private final boolean allowNestedUserns;
  private final Path lockFile;

  private RunSpec(Builder b) {
    rootfs = b.rootfs;
    imageName = b.imageName;
    rootfsMode = b.rootfsMode;
    overlaySizeBytes = b.overlaySizeBytes;
    argv = List.copyOf(b.argv);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    workdir = b.workdir;
    uid = b.uid;
    gid = b.gid;
    uidMap = List.copyOf(b.uidMap);
    gidMap = List.copyOf(b.gidMap);
    hostname = b.hostname;
    network = b.network;
    shareIpc = b.shareIpc;
    sysfs = b.sysfs;
    mounts = List.copyOf(b.mounts);
    rlimits = List.copyOf(b.rlimits);
    pidsMax = b.pidsMax;
    cgroup = b.cgroup;
    lockFile = b.lockFile;
    timeout = b.timeout;
    tty = b.tty;
    allowNestedUserns = b.allowNestedUserns;
  }

  /**
   * Starts a spec for a rootfs directory.
   *
   * @param rootfs the directory that becomes the container's root; absolute
   * @return a builder with the defaults: read-only, root (0:0) inside, isolated network, /sys
   *     read-only, nested user namespaces denied, no limits
   */
  public static Builder builder(Path rootfs) {
    return new Builder(rootfs);
  }

  /** The directory that becomes the root. */
  public Path rootfs() { return rootfs; }

  /** The image's name, for messages; the rootfs path when none was given. */
  public String imageName() { return imageName; }

  /** How the rootfs is presented. */
  public RootfsMode rootfsMode() { return rootfsMode; }

  /** Size limit of the overlay's upper tmpfs, 0 for the kernel's default. */
  public long overlaySizeBytes() { return overlaySizeBytes; }

  /** The command and its arguments, as executed (argv[0] is looked up in the env's PATH). */
  public List<String> argv() { return argv; }

  /** The command's whole environment: nothing else reaches it. */
  public Map<String, String> env() { return env; }

  /** Absolute working directory inside, created (inside the rootfs) when missing. */
  public String workdir() { return workdir; }

  /** The command's uid inside. */
  public long uid() { return uid; }

  /** The command's gid inside. */
  public long gid() { return gid; }

  /** The setup namespace's uid map; empty means the invoking user as root. */
  public List<IdMap> uidMap() { return uidMap; }

  /** The setup namespace's gid map; empty means the invoking user's group as root. */
  public List<IdMap> gidMap() { return gidMap; }

  /** The host name inside, if set. */
  public Optional<String> hostname() { return Optional.ofNullable(hostname); }

  /** The network the run gets. */
  public NetworkMode network() { return network; }

  /** Whether the host's IPC namespace is kept. */
  public boolean shareIpc() { return shareIpc; }

  /** Whether a read-only /sys is mounted. */
  public boolean sysfs() { return sysfs; }

  /** Mounts in order. */
  public List<Mount> mounts() { return mounts; }

  /** Resource limits for the command. */
  public List<Rlimit> rlimits() { return rlimits; }

  /** The pid namespace's pid_max (at most pidsMax-1 processes), 0 for none. */
  public long pidsMax() { return pidsMax; }

  /** cgroup v2 limits. */
  public CgroupLimits cgroup() { return cgroup; }

  /** Wall-clock limit for the whole container, if any. */
  public Optional<Duration> timeout() { return Optional.ofNullable(timeout); }

  /** Whether the command gets a new terminal relayed to the caller's. */
  public boolean tty() { return tty; }

  /** Whether the command may create user namespaces of its own. */
  public boolean allowNestedUserns() { return allowNestedUserns; }

  /** A file the helper holds a shared lock on while the container runs, if any. */
  public Optional<Path> lockFile() { return Optional.ofNullable(lockFile); }

  /** Builder for {@link RunSpec}; the setters check their argument and throw IllegalArgumentException. */
  public static final class Builder {
    private final Path rootfs;
    private String imageName;
    private RootfsMode rootfsMode = RootfsMode.READ_ONLY;
    private long overlaySizeBytes;
    private List<String> argv = List.of();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String workdir = "/";
    private long uid;
    private long gid;
    private final List<IdMap> uidMap = new ArrayList<>();
    private final List<IdMap> gidMap = new ArrayList<>();
    private String hostname;
    private NetworkMode network = NetworkMode.ISOLATED;
    private boolean shareIpc;
    private boolean sysfs = true;
    private final List<Mount> mounts = new ArrayList<>();
    private final List<Rlimit> rlimits = new ArrayList<>();
    private long pidsMax;
    private CgroupLimits cgroup = CgroupLimits.NONE;
    private Duration timeout;
    private boolean tty;
    private boolean allowNestedUserns;
    private Path lockFile;

    private Builder(Path rootfs) {
      if (rootfs == null || !rootfs.isAbsolute() || rootfs.toString().indexOf('\0') >= 0) {
        throw new IllegalArgumentException("rootfs must be an absolute path: " + rootfs);
      }
      this.rootfs = rootfs.normalize();
      this.imageName = this.rootfs.toString();
    }

    /** A file to hold a shared lock on for the life of the container (the store's rootfs lock). */
    public Builder lockFile(Path file) {
      if (file != null && (!file.isAbsolute() || file.toString().indexOf('\0') >= 0)) {
        throw new IllegalArgumentException("the lock file must be an absolute path: " + file);
      }
      this.lockFile = file;
      return this;
    }

    /** The image's name, used in messages. */
    public Builder imageName(String name) {
      if (name == null || name.isEmpty() || name.indexOf('\0') >= 0 || name.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("invalid image name");
      }
      this.imageName = name;
      return this;
    }

    /** How the rootfs is presented; READ_ONLY unless told otherwise. */
    public Builder rootfsMode(RootfsMode mode) {
      this.rootfsMode = Objects.requireNonNull(mode);
      return this;
    }

    /** Size limit of the overlay's tmpfs (only with {@link RootfsMode#OVERLAY}). */
    public Builder overlaySizeBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative overlay size");
      }
      this.overlaySizeBytes = bytes;
      return this;
    }

    /** The command; at least argv[0]. */
    public Builder argv(List<String> argv) {
      if (argv == null || argv.isEmpty() || argv.get(0).isEmpty()) {
        throw new IllegalArgumentException("no command");
      }
      for (String a : argv) {
        if (a.indexOf('\0') >= 0) {
          throw new IllegalArgumentException("command argument contains NUL");
        }
      }
      this.argv = List.copyOf(argv);
      return this;
    }

    /** Sets one variable of the command's environment (which starts empty). */
    public Builder env(String key, String value) {
      if (key == null || key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0 || value == null
          || value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("invalid environment variable " + key);
      }
      env.put(key, value);
      return this;
    }

    /** Sets several variables, in the map's order. */
    public Builder env(Map<String, String> vars) {
      for (Map.Entry<String, String> e : vars.entrySet()) {
        env(e.getKey(), e.getValue());
      }
      return this;
    }

    /** The absolute working directory inside. */
    public Builder workdir(String dir) {
      if (dir == null || !dir.startsWith("/") || dir.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("working directory must be absolute: " + dir);
      }
      this.workdir = dir;
      return this;
    }

    /** The command's uid and gid inside; the invoking user is mapped to them. */
    public Builder ids(long uid, long gid) {
      if (uid < 0 || gid < 0 || uid > 0xFFFFFFFEL || gid > 0xFFFFFFFEL) {
        throw new IllegalArgumentException("invalid uid or gid");
      }
      this.uid = uid;
      this.gid = gid;
      return this;
    }

    /** Adds a uid_map line of the setup namespace (classic -M). */
    public Builder uidMap(IdMap line) {
      uidMap.add(Objects.requireNonNull(line));
      return this;
    }

    /** Adds a gid_map line of the setup namespace (classic -G). */
    public Builder gidMap(IdMap line) {
      gidMap.add(Objects.requireNonNull(line));
      return this;
    }

    /** The host name inside: letters, digits, '.', '-', starting with a letter or digit; at most 63. */
    // (Loops, not regular expressions: compiling a Pattern costs start-up time on every run.)
    private static boolean isHostname(String name) {
      if (name == null || name.isEmpty() || name.length() > 63 || !Character.isLetterOrDigit(name.charAt(0))) {
        return false;
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    /** The host name inside (the uts namespace's); refused unless it is a valid host name. */
    public Builder hostname(String name) {
      if (!isHostname(name)) {
        throw new IllegalArgumentException("invalid hostname: " + name);
      }
      this.hostname = name;
      return this;
    }

    /** The network; ISOLATED unless told otherwise. */
    public Builder network(NetworkMode mode) {
      this.network = Objects.requireNonNull(mode);
      return this;
    }

    /** Keeps the host's IPC namespace (SysV and POSIX shared memory of the host become visible). */
    public Builder shareIpc(boolean share) {
      this.shareIpc = share;
      return this;
    }

    /** Whether to mount a read-only /sys (default true). */
    public Builder sysfs(boolean mount) {
      this.sysfs = mount;
      return this;
    }

    /** Adds a mount; later mounts go on top of earlier ones. */
    public Builder mount(Mount m) {
      mounts.add(Objects.requireNonNull(m));
      return this;
    }

    /** Adds a resource limit. */
    public Builder rlimit(Rlimit limit) {
      rlimits.add(Objects.requireNonNull(limit));
      return this;
    }

    /** Caps the processes of the container (per-pid-namespace pid_max: Linux 6.14+); 0 for none. */
    public Builder pidsMax(long max) {
      if (max != 0 && (max < 301 || max > 4_194_304)) {
        throw new IllegalArgumentException("pids max must be 0 or between 301 and 4194304");
      }
      this.pidsMax = max;
      return this;
    }

    /** cgroup v2 limits. */
    public Builder cgroup(CgroupLimits limits) {
      this.cgroup = Objects.requireNonNull(limits);
      return this;
    }

    /** Kills the whole container after this long; null for no limit. */
    public Builder timeout(Duration t) {
      if (t != null && (t.isNegative() || t.isZero())) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = t;
      return this;
    }

    /** Gives the command a new terminal relayed to the caller's (stdin and stdout must be ttys). */
    public Builder tty(boolean tty) {
      this.tty = tty;
      return this;
    }

    /** Lets the command create user namespaces (default: denied, see F13 in the design notes). */
    public Builder allowNestedUserns(boolean allow) {
      this.allowNestedUserns = allow;
      return this;
    }

    /**
     * Makes the spec.
     *
     * @throws IllegalStateException when no command was given, or the overlay size is set
     *     without an overlay
     */
    public RunSpec build() {
      if (argv.isEmpty()) {
        throw new IllegalStateException("no command");
      }
      if (overlaySizeBytes > 0 && rootfsMode != RootfsMode.OVERLAY) {
        throw new IllegalStateException("overlay size without an overlay");
      }
      return new RunSpec(this);
    }
  }
}
