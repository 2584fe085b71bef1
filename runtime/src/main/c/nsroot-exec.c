/*
 * nsroot-exec: run a command in a directory tree, in fresh Linux namespaces, as an ordinary user.
 *
 * A chroot-like command line (that of the 2016 nsroot, and a superset of it):
 *
 *     nsroot-exec [OPTIONS] NEWROOT [CMD [ARG]...]
 *
 * Mechanism, not policy: the Java runtime decides what a run gets and passes every decision as an
 * explicit option; this program only carries them out, and refuses anything it cannot do safely.
 * `nsroot-exec --help` is the reference for the options.
 *
 * Three processes (why three: a multithreaded JVM cannot create a user namespace, the pid
 * namespace needs an init, and the payload must not be able to undo our mounts):
 *
 *   outer  stays in the host namespaces. Writes the id maps of `init`, optionally moves it into a
 *          cgroup, then forwards signals, relays the pty, enforces --timeout and exits with the
 *          command's status. When it dies, `init` sees its end of the life pipe close and kills
 *          the container (a pipe, not PR_SET_PDEATHSIG: that fires when the parent *thread* exits).
 *   init   pid 1 of a new user+mount+pid+ipc+uts(+net) namespace set. Builds the new root, calls
 *          pivot_root and detaches the old root, then forks `cmd` and reaps zombies until it exits.
 *          Not dumpable, so the payload cannot reach it through /proc/1 (CVE-2019-5736 class).
 *   cmd    enters one more user namespace so every mount made by `init` becomes locked (a payload
 *          that is root inside cannot unmount a mask), takes the final uid/gid, and execs CMD with
 *          exactly the environment given, no fd above 2, no_new_privs and a new session.
 *
 * Every failure before exec is one line on stderr, "nsroot-exec: <what> <path>: <reason>", and
 * exit status 125; 126 means CMD cannot be executed, 127 that it is not in the tree; otherwise the
 * status is CMD's own, 128+N when signal N killed it, and 124 when --timeout fired.
 *
 * C11 plus Linux and POSIX calls from libc only; built statically so it runs on other machines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef NSROOT_VERSION
#define NSROOT_VERSION "dev"
#endif

#define EXIT_NSROOT 125
#define EXIT_CANNOT_EXEC 126
#define EXIT_NOT_FOUND 127
#define EXIT_TIMEOUT 124
#define MAX_ITEMS 256
#define MAX_ENV 32768
#define MAX_LINKS 40
#define MAX_DEPTH 256
#define CAP_LAST_FALLBACK 63

/* ------------------------------------------------------------------------------------------- */
/* Failing: one line, exit 125.                                                                 */

static const char *image_label; /* --name, or NEWROOT; names the image in messages */

static void outer_cleanup(void); /* the outer process undoes what it did to the host */

static void die(const char *what, const char *path) __attribute__((noreturn));
static void die(const char *what, const char *path) {
  int e = errno;
  fprintf(stderr, "nsroot-exec: %s%s%s: %s\n", what, path ? " " : "", path ? path : "", strerror(e));
  outer_cleanup();
  _exit(EXIT_NSROOT);
}

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("nsroot-exec: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  outer_cleanup();
  _exit(EXIT_NSROOT);
}

/* ------------------------------------------------------------------------------------------- */
/* Options.                                                                                     */

/* seq: position among -v, --tmpfs and --file on the command line (same-depth mounts keep it). */
struct bind { const char *src, *dst; int ro; int srcfd; int seq; };
struct tmpfs { const char *dst, *opts; int seq; };
struct file { const char *dst, *content; int seq; };
struct rlim { int res; rlim_t soft, hard; const char *name; };
struct cgset { const char *key, *value; };

static struct {
  const char *newroot;
  char **argv;
  struct bind binds[MAX_ITEMS]; int nbinds;
  struct tmpfs tmpfs[MAX_ITEMS]; int ntmpfs;
  struct file files[MAX_ITEMS]; int nfiles;
  int nmounts; /* -v, --tmpfs and --file seen so far */
  struct rlim rlimits[MAX_ITEMS]; int nrlimits;
  struct cgset cgroup[MAX_ITEMS]; int ncgroup;
  char *env[MAX_ENV + 1]; int nenv;
  char uid_map[4096], gid_map[4096];
  const char *oldroot;
  int keep_oldroot, readonly, writable, share_net, share_ipc, no_sys, pty, allow_userns, check;
  const char *overlay_size, *hostname, *workdir, *pids_max, *lock;
  long uid, gid;     /* final ids inside; -1: the invoking user's id in the -M/-G map */
  long timeout_ms;   /* 0: none */
} o = { .uid = -1, .gid = -1 };

enum {
  OPT_HOSTNAME = 1000, OPT_TMPFS, OPT_WRITABLE, OPT_OVERLAY_SIZE, OPT_FILE, OPT_UID, OPT_GID,
  OPT_RLIMIT, OPT_TIMEOUT, OPT_PTY, OPT_SHARE_NET, OPT_SHARE_IPC, OPT_ALLOW_USERNS, OPT_NO_SYS,
  OPT_PIDS_MAX, OPT_CGROUP, OPT_NAME, OPT_CHECK, OPT_VERSION, OPT_LOCK
};

static const struct option long_options[] = {
  {"bind", required_argument, 0, 'v'},
  {"old-root", required_argument, 0, 'o'},
  {"read-only", no_argument, 0, 'r'},
  {"keep-old-root", no_argument, 0, 'k'},
  {"uid-map", required_argument, 0, 'M'},
  {"gid-map", required_argument, 0, 'G'},
  {"net", no_argument, 0, 'n'},
  {"ipc", no_argument, 0, 'i'},
  {"env", required_argument, 0, 'e'},
  {"workdir", required_argument, 0, 'w'},
  {"help", no_argument, 0, 'h'},
  {"hostname", required_argument, 0, OPT_HOSTNAME},
  {"tmpfs", required_argument, 0, OPT_TMPFS},
  {"writable", no_argument, 0, OPT_WRITABLE},
  {"overlay-size", required_argument, 0, OPT_OVERLAY_SIZE},
  {"file", required_argument, 0, OPT_FILE},
  {"uid", required_argument, 0, OPT_UID},
  {"gid", required_argument, 0, OPT_GID},
  {"rlimit", required_argument, 0, OPT_RLIMIT},
  {"timeout", required_argument, 0, OPT_TIMEOUT},
  {"pty", no_argument, 0, OPT_PTY},
  {"share-net", no_argument, 0, OPT_SHARE_NET},
  {"share-ipc", no_argument, 0, OPT_SHARE_IPC},
  {"allow-userns", no_argument, 0, OPT_ALLOW_USERNS},
  {"no-sys", no_argument, 0, OPT_NO_SYS},
  {"pids-max", required_argument, 0, OPT_PIDS_MAX},
  {"cgroup", required_argument, 0, OPT_CGROUP},
  {"name", required_argument, 0, OPT_NAME},
  {"check", no_argument, 0, OPT_CHECK},
  {"version", no_argument, 0, OPT_VERSION},
  {"lock", required_argument, 0, OPT_LOCK},
  {0, 0, 0, 0},
};

static void usage(FILE *f) {
  fputs(
"usage: nsroot-exec [OPTIONS] NEWROOT [CMD [ARG]...]\n"
"Run CMD (default /bin/sh) with NEWROOT as its root directory, in new user, mount, pid, ipc, uts\n"
"and network namespaces, as the invoking user mapped to an id inside. Needs no privileges.\n"
"\n"
"Classic options (the 2016 nsroot):\n"
"  -v, --bind SRC:DST[:ro|rw]  bind SRC (a host path) on DST (inside NEWROOT; created if missing,\n"
"                              never outside NEWROOT); nosuid, nodev; rw unless :ro\n"
"  -o, --old-root NAME         with -k: where the old root stays (default .old_root)\n"
"  -r, --read-only             mount NEWROOT read-only (missing mount points then live in a\n"
"                              throw-away overlay, so NEWROOT is never written); without -r\n"
"                              or --writable, NEWROOT is used read-write, as by chroot(8)\n"
"  -k, --keep-old-root         keep the host's root at /NAME inside (debugging only: no isolation)\n"
"  -M, --uid-map 'IN OUT N'    a uid_map line (repeatable; default '0 <your uid> 1'); must map you\n"
"  -G, --gid-map 'IN OUT N'    a gid_map line (repeatable; default '0 <your gid> 1'); must map you\n"
"  -n, --net                   new network namespace, loopback up (the default; kept for scripts)\n"
"  -i, --ipc                   new IPC namespace (the default; kept for scripts)\n"
"\n"
"Image runtime options:\n"
"  -e, --env KEY=VALUE         set a variable; CMD gets only the variables given (repeatable);\n"
"  -e, --env KEY               KEY with its value in our environment (kept out of `ps`)\n"
"  -w, --workdir DIR           absolute working directory (created if missing, inside NEWROOT)\n"
"      --hostname NAME         host name in the new uts namespace\n"
"      --uid N, --gid N        ids of CMD inside (default: your id in the -M/-G map, i.e. 0)\n"
"      --writable              NEWROOT is the lower layer of an overlay whose upper layer lives\n"
"                              in a tmpfs and is gone at exit\n"
"      --overlay-size SIZE     size of that tmpfs (tmpfs syntax: 512m, 2g)\n"
"      --tmpfs DST[:OPTS]      a tmpfs on DST; OPTS as for mount(8): size=64m,mode=1777\n"
"      --file DST:CONTENT      a read-only file on DST holding CONTENT (e.g. a passwd file)\n"
"      --share-net             keep the host network (then /etc/resolv.conf and /etc/hosts are\n"
"                              the host's, read-only)\n"
"      --share-ipc             keep the host IPC namespace\n"
"      --no-sys                no /sys (default: a read-only sysfs)\n"
"      --pty                   give CMD a new terminal relayed to ours (stdin and stdout must be\n"
"                              terminals); window size follows SIGWINCH\n"
"      --timeout SECONDS       kill the whole container after SECONDS; exit status 124\n"
"      --rlimit NAME=SOFT[:HARD]  lower a limit for CMD: as core cpu data fsize memlock nofile\n"
"                              nproc stack; values are numbers or 'unlimited'\n"
"      --pids-max N            at most N-1 pids in the container (per-pid-namespace pid_max,\n"
"                              Linux 6.14 or newer; N >= 301)\n"
"      --cgroup FILE=VALUE     write VALUE to FILE (memory.max, pids.max, cpu.max, ...) of a new\n"
"                              cgroup v2 made under ours; needs a delegated cgroup\n"
"      --allow-userns          let CMD create user namespaces (default: denied)\n"
"      --name NAME             the image name used in messages\n"
"      --lock FILE             hold a shared fcntl lock on FILE while the container runs, so that\n"
"                              nsroot rmi does not delete a rootfs in use\n"
"      --check                 only check that user namespaces work here; exit 0 or 125\n"
"  -h, --help                  this text\n"
"      --version               the version\n"
"\n"
"Exit status: CMD's own; 128+N if signal N killed it; 124 timeout; 125 nsroot-exec failed;\n"
"126 CMD cannot be executed; 127 CMD not found.\n", f);
}

static long parse_long(const char *s, const char *what, long min, long max) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < min || v > max) fail("invalid %s: %s", what, s);
  return v;
}

static void add_map_line(char *map, size_t size, const char *line, const char *what) {
  unsigned long a, b, c;
  char extra;
  if (strchr(line, '\n') || sscanf(line, "%lu %lu %lu %c", &a, &b, &c, &extra) != 3 || c == 0)
    fail("invalid %s line (want 'INSIDE OUTSIDE COUNT'): %s", what, line);
  size_t used = strlen(map);
  if (used + strlen(line) + 2 > size) fail("too many %s lines", what);
  snprintf(map + used, size - used, "%s\n", line);
}

static const struct { const char *name; int res; } rlimit_names[] = {
  {"as", RLIMIT_AS}, {"core", RLIMIT_CORE}, {"cpu", RLIMIT_CPU}, {"data", RLIMIT_DATA},
  {"fsize", RLIMIT_FSIZE}, {"memlock", RLIMIT_MEMLOCK}, {"nofile", RLIMIT_NOFILE},
  {"nproc", RLIMIT_NPROC}, {"stack", RLIMIT_STACK},
};

static rlim_t parse_rlim_value(const char *s, const char *spec) {
  if (!strcmp(s, "unlimited")) return RLIM_INFINITY;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end || s[0] == '-') fail("invalid --rlimit: %s", spec);
  return (rlim_t)v;
}

static void parse_rlimit(const char *spec) {
  char name[32];
  const char *eq = strchr(spec, '=');
  if (!eq || (size_t)(eq - spec) >= sizeof name) fail("invalid --rlimit (want NAME=SOFT[:HARD]): %s", spec);
  memcpy(name, spec, eq - spec);
  name[eq - spec] = 0;
  struct rlim *r = &o.rlimits[o.nrlimits];
  r->res = -1;
  for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
    if (!strcmp(name, rlimit_names[i].name)) {
      r->res = rlimit_names[i].res;
      r->name = rlimit_names[i].name;
    }
  if (r->res < 0) fail("unknown --rlimit name: %s", name);
  char value[64];
  if (strlen(eq + 1) >= sizeof value) fail("invalid --rlimit: %s", spec);
  strcpy(value, eq + 1);
  char *colon = strchr(value, ':');
  if (colon) *colon = 0;
  r->soft = parse_rlim_value(value, spec);
  r->hard = colon ? parse_rlim_value(colon + 1, spec) : r->soft;
  if (r->soft != RLIM_INFINITY && (r->hard == RLIM_INFINITY ? 0 : r->soft > r->hard))
    fail("--rlimit soft value above hard value: %s", spec);
  o.nrlimits++;
}

/* SRC:DST[:ro|rw], read from the right: DST has no ':' (Java checks), SRC may have some. */
static void parse_bind(char *spec) {
  struct bind *b = &o.binds[o.nbinds];
  size_t len = strlen(spec);
  if (len > 3 && (!strcmp(spec + len - 3, ":ro") || !strcmp(spec + len - 3, ":rw"))) {
    b->ro = spec[len - 1] == 'o';
    spec[len - 3] = 0;
  }
  char *colon = strrchr(spec, ':');
  if (!colon || colon == spec || !colon[1]) fail("invalid -v (want SRC:DST[:ro|rw]): %s", spec);
  *colon = 0;
  b->src = spec;
  b->dst = colon + 1;
  b->seq = o.nmounts++;
  if (b->dst[0] != '/') fail("-v destination must be absolute: %s", b->dst);
  o.nbinds++;
}

static void too_many(int n, const char *what) {
  if (n >= MAX_ITEMS) fail("too many %s options", what);
}

static void parse_args(int argc, char **argv) {
  int c;
  while ((c = getopt_long(argc, argv, "+v:o:rkM:G:nie:w:h", long_options, NULL)) != -1) {
    switch (c) {
    case 'v': too_many(o.nbinds, "-v"); parse_bind(optarg); break;
    case 'o':
      if (!optarg[0] || strchr(optarg, '/') || !strcmp(optarg, ".") || !strcmp(optarg, ".."))
        fail("-o wants a plain name inside NEWROOT: %s", optarg);
      o.oldroot = optarg;
      break;
    case 'r': o.readonly = 1; break;
    case 'k': o.keep_oldroot = 1; break;
    case 'M': add_map_line(o.uid_map, sizeof o.uid_map, optarg, "-M"); break;
    case 'G': add_map_line(o.gid_map, sizeof o.gid_map, optarg, "-G"); break;
    case 'n': break; /* a new network namespace is the default */
    case 'i': break; /* a new IPC namespace is the default */
    case 'e':
      if (o.nenv >= MAX_ENV) fail("too many -e options");
      if (!optarg[0] || optarg[0] == '=') fail("invalid -e (want KEY=VALUE or KEY): %s", optarg);
      if (!strchr(optarg, '=')) {
        /* KEY alone: the value comes from our own environment, so that a secret never shows in
         * the argument list (`ps`, /proc/PID/cmdline); unset there means unset here. */
        char *full = NULL;
        for (char **e = environ; *e; e++)
          if (!strncmp(*e, optarg, strlen(optarg)) && (*e)[strlen(optarg)] == '=') full = *e;
        if (full) o.env[o.nenv++] = full;
        break;
      }
      o.env[o.nenv++] = optarg;
      break;
    case 'w':
      if (optarg[0] != '/') fail("--workdir must be absolute: %s", optarg);
      o.workdir = optarg;
      break;
    case 'h': usage(stdout); exit(0);
    case OPT_HOSTNAME:
      if (strlen(optarg) > 64 || !optarg[0]) fail("invalid --hostname: %s", optarg);
      o.hostname = optarg;
      break;
    case OPT_TMPFS: {
      too_many(o.ntmpfs, "--tmpfs");
      char *colon = strchr(optarg, ':');
      if (colon) *colon = 0;
      if (optarg[0] != '/') fail("--tmpfs destination must be absolute: %s", optarg);
      o.tmpfs[o.ntmpfs].dst = optarg;
      o.tmpfs[o.ntmpfs].seq = o.nmounts++;
      o.tmpfs[o.ntmpfs++].opts = colon ? colon + 1 : "";
      break;
    }
    case OPT_WRITABLE: o.writable = 1; break;
    case OPT_OVERLAY_SIZE: o.overlay_size = optarg; break;
    case OPT_FILE: {
      too_many(o.nfiles, "--file");
      char *colon = strchr(optarg, ':');
      if (!colon || optarg[0] != '/') fail("invalid --file (want /DST:CONTENT): %.80s", optarg);
      *colon = 0;
      o.files[o.nfiles].dst = optarg;
      o.files[o.nfiles].seq = o.nmounts++;
      o.files[o.nfiles++].content = colon + 1;
      break;
    }
    case OPT_UID: o.uid = parse_long(optarg, "--uid", 0, 4294967294L); break;
    case OPT_GID: o.gid = parse_long(optarg, "--gid", 0, 4294967294L); break;
    case OPT_RLIMIT: too_many(o.nrlimits, "--rlimit"); parse_rlimit(optarg); break;
    case OPT_TIMEOUT: {
      char *end;
      errno = 0;
      double s = strtod(optarg, &end);
      if (errno || end == optarg || *end || !(s > 0) || s > 1e8) fail("invalid --timeout: %s", optarg);
      o.timeout_ms = (long)(s * 1000.0 + 0.5);
      if (o.timeout_ms < 1) o.timeout_ms = 1;
      break;
    }
    case OPT_PTY: o.pty = 1; break;
    case OPT_SHARE_NET: o.share_net = 1; break;
    case OPT_SHARE_IPC: o.share_ipc = 1; break;
    case OPT_ALLOW_USERNS: o.allow_userns = 1; break;
    case OPT_NO_SYS: o.no_sys = 1; break;
    case OPT_PIDS_MAX: parse_long(optarg, "--pids-max", 301, 4194304); o.pids_max = optarg; break;
    case OPT_CGROUP: {
      too_many(o.ncgroup, "--cgroup");
      char *eq = strchr(optarg, '=');
      if (!eq) fail("invalid --cgroup (want FILE=VALUE): %s", optarg);
      *eq = 0;
      /* Only a plain interface file name of this cgroup: never a path. */
      const char *dot = strchr(optarg, '.');
      if (!dot || dot == optarg || strchr(optarg, '/') || !strncmp(optarg, "cgroup.", 7))
        fail("invalid --cgroup file: %s", optarg);
      o.cgroup[o.ncgroup].key = optarg;
      o.cgroup[o.ncgroup++].value = eq + 1;
      break;
    }
    case OPT_NAME: image_label = optarg; break;
    case OPT_CHECK: o.check = 1; break;
    case OPT_VERSION: printf("nsroot-exec %s\n", NSROOT_VERSION); exit(0);
    case OPT_LOCK: o.lock = optarg; break;
    default: usage(stderr); _exit(EXIT_NSROOT);
    }
  }
  if (o.check) return;
  if (optind >= argc) fail("missing NEWROOT (see --help)");
  o.newroot = argv[optind++];
  if (!image_label) image_label = o.newroot;
  static char *default_cmd[] = {"/bin/sh", NULL};
  o.argv = optind < argc ? argv + optind : default_cmd;
  if (o.keep_oldroot && !o.oldroot) o.oldroot = ".old_root";
  if (o.overlay_size && !o.writable) fail("--overlay-size needs --writable");
  if (o.readonly && o.writable) fail("-r and --writable exclude each other");
  o.env[o.nenv] = NULL;
}

/* ------------------------------------------------------------------------------------------- */
/* Small helpers.                                                                               */

static void write_file(const char *path, const char *data) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) die("open", path);
  size_t len = strlen(data);
  ssize_t n = write(fd, data, len); /* one write: /proc files take their content whole or not */
  if (n < 0) die("write", path);
  if (n != (ssize_t)len) fail("write %s: only %zd of %zu bytes written", path, n, len);
  if (close(fd) < 0) die("close", path);
}

/* Reads a small /proc/sys file into BUF; returns 0, or -1 when it is absent or unreadable. */
static int read_small(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = 0;
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) buf[--n] = 0;
  return 0;
}

static int write_all(int fd, const char *p, size_t len) {
  while (len) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    len -= n;
  }
  return 0;
}

static const char *fdpath(int fd, char *buf) {
  snprintf(buf, 32, "/proc/self/fd/%d", fd);
  return buf;
}

static void close_from(unsigned first) {
  if (syscall(SYS_close_range, first, ~0U, 0) == 0) return;
  if (errno != ENOSYS && errno != EPERM) die("close_range", NULL); /* EPERM: an old seccomp filter */
  /* Before Linux 5.9: /proc/self/fd lists every open descriptor, also those above the limit. */
  DIR *d = opendir("/proc/self/fd");
  if (!d) die("open", "/proc/self/fd");
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d))) {
    char *end;
    long fd = strtol(e->d_name, &end, 10);
    if (end != e->d_name && !*end && fd >= (long)first && fd != dirfd(d)) close((int)fd);
    errno = 0;
  }
  if (errno) die("read", "/proc/self/fd");
  closedir(d);
}

/* The JVM, or whoever called us, may leave 0, 1 or 2 closed; our pipes must not land there. */
static void ensure_std_fds(void) {
  for (int fd = 0; fd < 3; fd++) {
    if (fcntl(fd, F_GETFD) >= 0) continue;
    int n = open("/dev/null", O_RDWR);
    if (n < 0) die("open", "/dev/null");
    if (n != fd) fail("/dev/null opened as descriptor %d instead of %d", n, fd);
  }
}

static void reset_signals(void) {
  struct sigaction sa = {0};
  sa.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; s++)
    if (s != SIGKILL && s != SIGSTOP) sigaction(s, &sa, NULL); /* fails harmlessly for 32, 33 */
  sigset_t none;
  sigemptyset(&none);
  if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) die("sigprocmask", NULL);
}

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

static void relay_set(sigset_t *set) {
  sigemptyset(set);
  for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaddset(set, forwarded[i]);
  sigaddset(set, SIGCHLD);
}

/* ------------------------------------------------------------------------------------------- */
/* Preflight: why a user namespace cannot be made, in one line naming the setting and the fix.  */

static void userns_diagnose(const char *what) __attribute__((noreturn));
static void userns_diagnose(const char *what) {
  int e = errno;
  char v[64];
  if (read_small("/proc/sys/kernel/unprivileged_userns_clone", v, sizeof v) == 0 && !strcmp(v, "0"))
    fail("user namespaces are disabled for unprivileged users on this host "
         "(kernel.unprivileged_userns_clone=0); fix as root: sysctl -w kernel.unprivileged_userns_clone=1 "
         "(persist it in /etc/sysctl.d/)");
  if (read_small("/proc/sys/user/max_user_namespaces", v, sizeof v) == 0 && !strcmp(v, "0"))
    fail("user namespaces are disabled on this host (user.max_user_namespaces=0); fix as root: "
         "sysctl -w user.max_user_namespaces=15000 (persist it in /etc/sysctl.d/)");
  if ((e == EPERM || e == EACCES) &&
      read_small("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", v, sizeof v) == 0 && !strcmp(v, "1"))
    fail("AppArmor forbids unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1); "
         "fix as root: install the profile runtime/apparmor/nsroot-exec shipped with nsroot "
         "(cp it to /etc/apparmor.d/, then apparmor_parser -r /etc/apparmor.d/nsroot-exec), "
         "or sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
  if (e == ENOSPC)
    fail("cannot create a user namespace (%s): %s; the limit user.max_user_namespaces "
         "(or the nesting depth, 32) is reached", what, strerror(e));
  fail("cannot create a user namespace (%s): %s", what, strerror(e));
}

/* The namespace exists, so user namespaces work; a refused map is about the ids it names (an
 * ordinary user may map only their own), or AppArmor's restriction, which userns_diagnose names. */
static void map_fail(const char *path) __attribute__((noreturn));
static void map_fail(const char *path) {
  int e = errno;
  char v[8];
  if ((e == EPERM || e == EACCES) &&
      read_small("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", v, sizeof v) == 0 && !strcmp(v, "1"))
    userns_diagnose(path);
  fail("cannot write %s: %s; without privileges a user can map only their own uid and gid", path, strerror(e));
}

/* WHO: "self", or a process id. */
static void write_map(const char *who, const char *file, const char *map) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%s/%s", who, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) map_fail(path);
  ssize_t n = write(fd, map, strlen(map)); /* one write: the kernel takes a map whole or not */
  if (n < 0) map_fail(path);
  if (n != (ssize_t)strlen(map)) fail("write %s: only %zd of %zu bytes written", path, n, strlen(map));
  if (close(fd) < 0) die("close", path);
}

static void write_maps(const char *who, const char *uid_map, const char *gid_map) {
  /* CVE-2014-8989: deny setgroups before gid_map, or dropping a group could grant access. */
  write_map(who, "setgroups", "deny");
  write_map(who, "uid_map", uid_map);
  write_map(who, "gid_map", gid_map);
}

static void write_child_maps(pid_t pid, const char *uid_map, const char *gid_map) {
  char who[16];
  snprintf(who, sizeof who, "%d", (int)pid);
  write_maps(who, uid_map, gid_map);
}

/* ------------------------------------------------------------------------------------------- */
/* Resolving paths inside the new root.                                                         */

enum kind { K_ANY, K_DIR, K_FILE };

/*
 * Opens PATH inside the tree at ROOTFD as an O_PATH fd without ever leaving that tree, the way
 * openat2(RESOLVE_IN_ROOT) would (which older kernels lack): each component is opened with
 * O_NOFOLLOW; a symlink is read and its target walked again, from ROOTFD when absolute; ".." stops
 * at ROOTFD. With CREATE, missing components become directories and the last one a KIND. An image
 * symlink such as `dev -> /home/u` therefore lands on the image's own /home/u, never the host's.
 * With CANON (PATH_MAX bytes), CANON receives the path with every symlink resolved, and a missing
 * path is not an error: CANON then says where it would be, and the result is -2. Otherwise
 * returns -1 with errno set.
 */
static int resolve_in(int rootfd, const char *path, enum kind kind, int create, char *canon) {
  char buf[2 * PATH_MAX], tmp[2 * PATH_MAX], target[PATH_MAX], names[PATH_MAX] = "";
  int stack[MAX_DEPTH], depth = 0, links = 0, fd = -1;
  size_t lens[MAX_DEPTH] = {0};
  struct stat st = {0};
  if (strlen(path) >= PATH_MAX) { errno = ENAMETOOLONG; return -1; }
  strcpy(buf, path);
  stack[0] = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (stack[0] < 0) return -1;
  char *p = buf;
  for (;;) {
    while (*p == '/') p++;
    if (!*p) break;
    char *end = strchrnul(p, '/');
    char *next = end;
    while (*next == '/') next++;
    int last = *next == 0;
    *end = 0;
    if (!strcmp(p, ".")) { p = next; continue; }
    if (!strcmp(p, "..")) {
      if (depth > 0) close(stack[depth--]);
      names[lens[depth]] = 0;
      p = next;
      continue;
    }
    fd = openat(stack[depth], p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
      if (last && kind == K_FILE) {
        int f = openat(stack[depth], p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (f < 0 && errno != EEXIST) goto fail;
        if (f >= 0) close(f);
      } else if (mkdirat(stack[depth], p, 0755) < 0 && errno != EEXIST) {
        goto fail;
      }
      fd = openat(stack[depth], p, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0 && errno == ENOENT && canon) {
      /* The rest does not exist, so holds no symlink; ".." after a missing name is refused. */
      if ((size_t)snprintf(canon, PATH_MAX, "%s/%s/%s", names, p, next) >= PATH_MAX) { errno = ENAMETOOLONG; goto fail; }
      if (strstr(canon, "/../") || (strlen(canon) >= 3 && !strcmp(canon + strlen(canon) - 3, "/.."))) {
        errno = ENOENT;
        goto fail;
      }
      for (int i = 0; i <= depth; i++) close(stack[i]);
      return -2;
    }
    if (fd < 0) goto fail;
    if (fstat(fd, &st) < 0) goto fail;
    if (S_ISLNK(st.st_mode)) {
      if (++links > MAX_LINKS) { errno = ELOOP; goto fail; }
      ssize_t n = readlinkat(fd, "", target, sizeof target - 1);
      if (n < 0) goto fail;
      target[n] = 0;
      close(fd);
      fd = -1;
      if ((size_t)snprintf(tmp, sizeof tmp, "%s/%s", target, next) >= sizeof tmp) {
        errno = ENAMETOOLONG;
        goto fail;
      }
      strcpy(buf, tmp);
      p = buf;
      if (target[0] == '/') {
        while (depth > 0) close(stack[depth--]);
        names[0] = 0;
      }
      continue;
    }
    if (!last && !S_ISDIR(st.st_mode)) { errno = ENOTDIR; goto fail; }
    if (depth + 1 >= MAX_DEPTH || lens[depth] + strlen(p) + 2 > sizeof names) { errno = ENAMETOOLONG; goto fail; }
    stack[++depth] = fd;
    fd = -1;
    lens[depth] = lens[depth - 1] + (size_t)snprintf(names + lens[depth - 1], sizeof names - lens[depth - 1], "/%s", p);
    p = next;
  }
  if (fstat(stack[depth], &st) < 0) goto fail;
  if (kind == K_DIR && !S_ISDIR(st.st_mode)) { errno = ENOTDIR; goto fail; }
  if (kind == K_FILE && S_ISDIR(st.st_mode)) { errno = EISDIR; goto fail; }
  if (canon) snprintf(canon, PATH_MAX, "%s", names[0] ? names : "/");
  for (int i = 0; i < depth; i++) close(stack[i]);
  return stack[depth];
fail:;
  int e = errno;
  if (fd >= 0) close(fd);
  for (int i = 0; i <= depth; i++) close(stack[i]);
  errno = e;
  return -1;
}

/* Resolves (creating if missing) a mount target inside the new root, or dies naming it. */
static int target(int newfd, const char *path, enum kind kind) {
  int fd = resolve_in(newfd, path, kind, 1, NULL);
  if (fd < 0) die("mount target", path);
  return fd;
}

/* /proc, /dev and /sys of the image must be ordinary directories (F7, F8): a symlink there is
 * an attempt to have the host populate or mount somewhere else. */
static void reject_symlink(int rootfd, const char *name) {
  struct stat st;
  if (fstatat(rootfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
    if (errno == ENOENT) return;
    die("stat", name);
  }
  if (S_ISLNK(st.st_mode))
    fail("image %s: /%s is a symbolic link; it must be an ordinary directory", image_label, name);
  if (!S_ISDIR(st.st_mode))
    fail("image %s: /%s is not a directory", image_label, name);
}

/* ------------------------------------------------------------------------------------------- */
/* Mounting.                                                                                    */

static void do_mount(const char *src, const char *dst, const char *type, unsigned long flags,
                     const char *data, const char *label) {
  if (mount(src, dst, type, flags, data) < 0) die("mount", label);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo; undone in place. */
static void unescape_octal(char *s) {
  char *w = s;
  for (char *r = s; *r; r++, w++) {
    if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
      *w = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
      r += 3;
    } else {
      *w = *r;
    }
  }
  *w = 0;
}

/* Whether any mount lies below the mount point that FD is the root of. */
static int has_submounts(int fd, const char *label) {
  char p[32], where[PATH_MAX], line[3 * PATH_MAX], mp[3 * PATH_MAX];
  ssize_t n = readlink(fdpath(fd, p), where, sizeof where - 1);
  if (n < 0) die("readlink", label);
  where[n] = 0;
  size_t len = strcmp(where, "/") ? (size_t)n : 0;
  FILE *f = fopen("/proc/self/mountinfo", "re");
  if (!f) die("open", "/proc/self/mountinfo");
  int found = 0;
  while (!found && fgets(line, sizeof line, f)) {
    if (sscanf(line, "%*s %*s %*s %*s %12287s", mp) != 1) continue;
    unescape_octal(mp);
    found = !strncmp(mp, where, len) && mp[len] == '/' && mp[len + 1];
  }
  if (ferror(f)) die("read", "/proc/self/mountinfo");
  fclose(f);
  return found;
}

/* Adds mount attributes (read-only, nosuid, ...) to the mount whose root FD is. mount_setattr
 * keeps the flags the kernel locked on mounts inherited from the host; the fallback (kernels
 * before 5.12) must repeat them itself, or the remount is refused. The fallback's remount reaches
 * one mount only: when the attributes must also cover mounts below it, it refuses instead. */
static void set_attrs(int fd, uint64_t attrs, int recursive, const char *label) {
  struct mount_attr a = {.attr_set = attrs};
  unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
  if (syscall(SYS_mount_setattr, fd, "", flags, &a, sizeof a) == 0) return;
  /* ENOSYS: before Linux 5.12. EPERM: also what old seccomp filters say for unknown calls; if the
   * permission is really missing, the remount below fails too. */
  if (errno != ENOSYS && errno != EPERM) die("mount_setattr", label);
  if (recursive && has_submounts(fd, label))
    fail("%s has mounts below it, and without mount_setattr (Linux 5.12 or later) they cannot be made "
         "read-only, nosuid and nodev too: mount a directory without mounts below it", label);
  struct statvfs sv;
  if (fstatvfs(fd, &sv) < 0) die("statvfs", label);
  unsigned long f = MS_REMOUNT | MS_BIND;
  if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
  if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
  if (attrs & MOUNT_ATTR_RDONLY) f |= MS_RDONLY;
  if (attrs & MOUNT_ATTR_NOSUID) f |= MS_NOSUID;
  if (attrs & MOUNT_ATTR_NODEV) f |= MS_NODEV;
  if (attrs & MOUNT_ATTR_NOEXEC) f |= MS_NOEXEC;
  char p[32];
  do_mount(NULL, fdpath(fd, p), NULL, f, NULL, label);
}

/* After a mount on PATH, a fresh fd for it (the old one points below the new mount). */
static int reopen(int newfd, const char *path) {
  int fd = resolve_in(newfd, path, K_ANY, 0, NULL);
  if (fd < 0) die("open", path);
  return fd;
}

static void bind_on(const char *src, int newfd, const char *dst, enum kind kind, uint64_t attrs,
                    int recursive) {
  char p[32];
  int t = target(newfd, dst, kind);
  do_mount(src, fdpath(t, p), NULL, MS_BIND | (recursive ? MS_REC : 0), NULL, dst);
  close(t);
  if (attrs) {
    t = reopen(newfd, dst);
    set_attrs(t, attrs, recursive, dst);
    close(t);
  }
}

static void tmpfs_on(int newfd, const char *dst, unsigned long flags, const char *opts) {
  char p[32];
  int t = target(newfd, dst, K_DIR);
  do_mount("tmpfs", fdpath(t, p), "tmpfs", flags, opts, dst);
  close(t);
}

/* Masks of containerd's default spec (F7): paths that leak host details or reach the kernel. */
static const char *const proc_masked[] = {
  "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
  "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
  "/proc/timer_stats",
};
static const char *const proc_readonly[] = {
  "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};
static const char *const sys_masked[] = {"/sys/firmware", "/sys/devices/virtual/powercap"};

static void mask(int newfd, const char *path) {
  int t = resolve_in(newfd, path, K_ANY, 0, NULL);
  if (t < 0) {
    if (errno == ENOENT) return; /* not every kernel has every file */
    die("open", path);
  }
  struct stat st;
  if (fstat(t, &st) < 0) die("stat", path);
  char p[32];
  if (S_ISDIR(st.st_mode))
    do_mount("tmpfs", fdpath(t, p), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,nr_inodes=2", path);
  else
    do_mount("/dev/null", fdpath(t, p), NULL, MS_BIND, NULL, path);
  close(t);
}

static void readonly_self(int newfd, const char *path) {
  int t = resolve_in(newfd, path, K_ANY, 0, NULL);
  if (t < 0) {
    if (errno == ENOENT) return;
    die("open", path);
  }
  char p[32];
  do_mount(fdpath(t, p), p, NULL, MS_BIND | MS_REC, NULL, path);
  close(t);
  t = reopen(newfd, path);
  set_attrs(t, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 1, path);
  close(t);
}

static void setup_proc(int newfd) {
  char p[32];
  int t = target(newfd, "/proc", K_DIR);
  do_mount("proc", fdpath(t, p), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, "/proc");
  close(t);
  for (size_t i = 0; i < sizeof proc_masked / sizeof proc_masked[0]; i++) mask(newfd, proc_masked[i]);
  for (size_t i = 0; i < sizeof proc_readonly / sizeof proc_readonly[0]; i++) readonly_self(newfd, proc_readonly[i]);
}

/* A minimal /dev: a small tmpfs holding the host's harmless character devices bind-mounted (an
 * unprivileged user cannot mknod), a private devpts for ptys, a tmpfs for POSIX shm, fd links. */
static void setup_dev(int newfd) {
  static const char *const nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
  static const char *const links[][2] = {
    {"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"}, {"ptmx", "pts/ptmx"},
  };
  char p[32], host[64], label[64];
  tmpfs_on(newfd, "/dev", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k,nr_inodes=64");
  int dev = reopen(newfd, "/dev");
  for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
    snprintf(host, sizeof host, "/dev/%s", nodes[i]);
    int f = openat(dev, nodes[i], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (f < 0) die("create", host);
    close(f);
    f = openat(dev, nodes[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (f < 0) die("open", host);
    do_mount(host, fdpath(f, p), NULL, MS_BIND, NULL, host);
    close(f);
  }
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
    snprintf(label, sizeof label, "/dev/%s", links[i][0]);
    if (symlinkat(links[i][1], dev, links[i][0]) < 0) die("symlink", label);
  }
  if (mkdirat(dev, "pts", 0755) < 0) die("mkdir", "/dev/pts");
  if (mkdirat(dev, "shm", 0755) < 0) die("mkdir", "/dev/shm");
  close(dev);
  int t = target(newfd, "/dev/pts", K_DIR);
  do_mount("devpts", fdpath(t, p), "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620", "/dev/pts");
  close(t);
  tmpfs_on(newfd, "/dev/shm", MS_NOSUID | MS_NODEV, "mode=1777");
}

/* /sys read-only: a new sysfs when we own the network namespace, else the host's, bound. */
static void setup_sys(int newfd) {
  char p[32];
  int t = target(newfd, "/sys", K_DIR);
  unsigned long ro = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
  int fresh = !o.share_net && mount("sysfs", fdpath(t, p), "sysfs", ro, NULL) == 0;
  if (!fresh) {
    /* A fresh sysfs needs a network namespace of our own and a host /sys the kernel sees whole
     * (nothing mounted over parts of it); otherwise the host's shows its network devices. */
    if (!o.share_net)
      fprintf(stderr, "nsroot-exec: warning: cannot mount a fresh /sys (%s); the host's is shown, read-only\n",
              strerror(errno));
    do_mount("/sys", fdpath(t, p), NULL, MS_BIND | MS_REC, NULL, "/sys");
    close(t);
    t = reopen(newfd, "/sys");
    set_attrs(t, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 1, "/sys");
  }
  close(t);
  for (size_t i = 0; i < sizeof sys_masked / sizeof sys_masked[0]; i++) mask(newfd, sys_masked[i]);
}

/* A scratch tmpfs for the overlay's upper layer and --file contents. It hides the host's /tmp,
 * but only in our mount namespace, and everything we need from there is already open. */
static const char *scratch_dir(void) {
  static const char *const candidates[] = {"/tmp", "/var/tmp", "/mnt", "/run"};
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
    struct stat st;
    if (lstat(candidates[i], &st) == 0 && S_ISDIR(st.st_mode)) return candidates[i];
  }
  fail("no directory for a scratch tmpfs (/tmp, /var/tmp, /mnt, /run)");
}

static mode_t caller_umask; /* restored for CMD; the setup itself runs with umask 0 */
static int host_resolv = -1, host_hosts = -1; /* the host's files for --share-net, or -1 */

struct want { const char *path; enum kind kind; };

/* Every mount target, and the working directory, that the new root must provide. */
static int collect_targets(struct want *w) {
  int n = 0;
  w[n++] = (struct want){"/proc", K_DIR};
  w[n++] = (struct want){"/dev", K_DIR};
  if (!o.no_sys) w[n++] = (struct want){"/sys", K_DIR};
  if (host_resolv >= 0) w[n++] = (struct want){"/etc/resolv.conf", K_FILE};
  if (host_hosts >= 0) w[n++] = (struct want){"/etc/hosts", K_FILE};
  if (o.workdir) w[n++] = (struct want){o.workdir, K_DIR};
  if (o.keep_oldroot) w[n++] = (struct want){o.oldroot, K_DIR};
  for (int i = 0; i < o.ntmpfs; i++) w[n++] = (struct want){o.tmpfs[i].dst, K_DIR};
  for (int i = 0; i < o.nfiles; i++) w[n++] = (struct want){o.files[i].dst, K_FILE};
  for (int i = 0; i < o.nbinds; i++) {
    struct stat st;
    if (fstat(o.binds[i].srcfd, &st) < 0) die("stat", o.binds[i].src);
    w[n++] = (struct want){o.binds[i].dst, S_ISDIR(st.st_mode) ? K_DIR : K_FILE};
  }
  return n;
}

/* Makes CANON (a symlink-free path inside the image) in the overlay's upper layer UPPER, each
 * directory with the mode of its namesake in the image, so the image itself is never written. */
static void make_in_upper(int upper, int rootfd, const char *canon, enum kind kind, const char *label) {
  char prefix[PATH_MAX];
  int dir = dup(upper);
  if (dir < 0) die("dup", NULL);
  for (const char *p = canon; *p; ) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *end = strchrnul(p, '/');
    const char *next = end;
    while (*next == '/') next++;
    char name[NAME_MAX + 1];
    if ((size_t)(end - p) > NAME_MAX) { errno = ENAMETOOLONG; die("mount target", label); }
    memcpy(name, p, end - p);
    name[end - p] = 0;
    snprintf(prefix, sizeof prefix, "%.*s", (int)(end - canon), canon);
    struct stat st;
    int in_image = fstatat(rootfd, prefix + 1, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
    if (!*next && kind == K_FILE) {
      int f = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (f < 0 && errno != EEXIST) die("create mount point", label);
      if (f >= 0) close(f);
      break;
    }
    if (mkdirat(dir, name, in_image ? (st.st_mode & 07777) : 0755) < 0 && errno != EEXIST)
      die("create mount point", label);
    int sub = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0) die("create mount point", label);
    close(dir);
    dir = sub;
    p = next;
  }
  close(dir);
}

/* Counts the targets missing from the image at ROOTFD; with UPPER >= 0, makes them there. A
 * target that exists but cannot be used (a loop, a file where a directory is wanted) is fatal. */
static int missing_targets(int rootfd, int upper) {
  struct want w[3 * MAX_ITEMS + 8];
  int n = collect_targets(w), missing = 0;
  char canon[PATH_MAX];
  for (int i = 0; i < n; i++) {
    int fd = resolve_in(rootfd, w[i].path, w[i].kind, 0, canon);
    if (fd >= 0) { close(fd); continue; }
    if (fd == -1) die("mount target", w[i].path);
    missing++;
    if (upper >= 0) make_in_upper(upper, rootfd, canon, w[i].kind, w[i].path);
  }
  return missing;
}

/* Builds the new root at SCRATCH/root and returns an O_PATH fd of it. */
static int build_root(int rootfd, const char *scratch) {
  char root[PATH_MAX], upper[PATH_MAX], work[PATH_MAX], p[32];
  snprintf(root, sizeof root, "%s/root", scratch);
  if (mkdir(root, 0755) < 0) die("mkdir", root);
  int overlay = o.writable || (o.readonly && missing_targets(rootfd, -1) > 0);
  if (overlay) {
    snprintf(upper, sizeof upper, "%s/upper", scratch);
    snprintf(work, sizeof work, "%s/work", scratch);
    if (mkdir(upper, 0755) < 0) die("mkdir", upper);
    if (mkdir(work, 0700) < 0) die("mkdir", work);
    int upfd = open(upper, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (upfd < 0) die("open", upper);
    missing_targets(rootfd, upfd);
    close(upfd);
    char opts[PATH_MAX * 3];
    snprintf(opts, sizeof opts, "lowerdir=%s,upperdir=%s,workdir=%s", fdpath(rootfd, p), upper, work);
    if (mount("overlay", root, "overlay", MS_NOSUID | MS_NODEV, opts) < 0)
      die("mount overlay on", o.newroot);
  } else {
    do_mount(fdpath(rootfd, p), root, NULL, MS_BIND | MS_REC, NULL, o.newroot);
  }
  int newfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (newfd < 0) die("open", root);
  uint64_t attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
  /* Read-only at once when nothing must be created: the window in which the tree is writable
   * through this mount is then empty. With an overlay, read-only comes after the mount points. */
  set_attrs(newfd, attrs | (o.readonly && !overlay ? MOUNT_ATTR_RDONLY : 0), 1, o.newroot);
  return newfd;
}

/* The caller's mounts (tmpfs, volumes, --file, the host's resolv.conf and hosts), ordered by the
 * depth of their destination once image symlinks are resolved: a tmpfs on /tmp must not hide a
 * bind made earlier on /tmp/x, whether /tmp/x was named so or reached through a link. At equal
 * depth the command line's order holds (the later mount wins), after the host's files. */
enum op_kind { OP_TMPFS, OP_HOSTFILE, OP_BIND, OP_FILE };
struct op { enum op_kind kind; int index; const char *dst; int seq; int depth; };

static int depth_of(const char *canon) {
  int d = 0;
  for (const char *c = canon; *c; c++)
    if (*c == '/' && c[1] && c[1] != '/') d++;
  return d;
}

static void user_mounts(int newfd, const char *scratch) {
  static const char *const host_dst[] = {"/etc/resolv.conf", "/etc/hosts"};
  int host_fd[] = {host_resolv, host_hosts};
  struct op ops[3 * MAX_ITEMS + 2];
  int n = 0;
  for (int i = 0; i < 2; i++)
    if (host_fd[i] >= 0) ops[n++] = (struct op){OP_HOSTFILE, i, host_dst[i], i - 2, 0};
  for (int i = 0; i < o.ntmpfs; i++) ops[n++] = (struct op){OP_TMPFS, i, o.tmpfs[i].dst, o.tmpfs[i].seq, 0};
  for (int i = 0; i < o.nbinds; i++) ops[n++] = (struct op){OP_BIND, i, o.binds[i].dst, o.binds[i].seq, 0};
  for (int i = 0; i < o.nfiles; i++) ops[n++] = (struct op){OP_FILE, i, o.files[i].dst, o.files[i].seq, 0};
  char canon[PATH_MAX];
  for (int i = 0; i < n; i++) {
    int fd = resolve_in(newfd, ops[i].dst, K_ANY, 0, canon);
    if (fd == -1) die("mount target", ops[i].dst);
    if (fd >= 0) close(fd);
    ops[i].depth = depth_of(canon);
  }
  for (int i = 1; i < n; i++) /* insertion sort by (depth, seq) */
    for (int j = i; j > 0 && (ops[j - 1].depth > ops[j].depth
                              || (ops[j - 1].depth == ops[j].depth && ops[j - 1].seq > ops[j].seq)); j--) {
      struct op t = ops[j];
      ops[j] = ops[j - 1];
      ops[j - 1] = t;
    }
  const uint64_t ro = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
  char p[32], host[PATH_MAX];
  for (int i = 0; i < n; i++) {
    int k = ops[i].index;
    switch (ops[i].kind) {
    case OP_TMPFS:
      tmpfs_on(newfd, o.tmpfs[k].dst, MS_NOSUID | MS_NODEV, o.tmpfs[k].opts);
      break;
    case OP_HOSTFILE:
      bind_on(fdpath(host_fd[k], p), newfd, host_dst[k], K_FILE, ro, 0);
      break;
    case OP_BIND: {
      struct stat st;
      if (fstat(o.binds[k].srcfd, &st) < 0) die("stat", o.binds[k].src);
      uint64_t attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (o.binds[k].ro ? MOUNT_ATTR_RDONLY : 0);
      bind_on(fdpath(o.binds[k].srcfd, p), newfd, o.binds[k].dst, S_ISDIR(st.st_mode) ? K_DIR : K_FILE, attrs, 1);
      break;
    }
    case OP_FILE: {
      snprintf(host, sizeof host, "%s/file%d", scratch, k);
      int f = open(host, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (f < 0) die("create", host);
      if (write_all(f, o.files[k].content, strlen(o.files[k].content)) < 0 || close(f) < 0) die("write", host);
      bind_on(host, newfd, o.files[k].dst, K_FILE, ro, 0);
      break;
    }
    }
  }
}

/* ------------------------------------------------------------------------------------------- */
/* init: the container side.                                                                    */

struct channel { int sync_r, life_r, pty_sock; };

static char *arg_start, *arg_end; /* our argument strings, overwritten in init once unused */

static int open_host(const char *path, int flags, int optional) {
  int fd = open(path, flags | O_CLOEXEC);
  if (fd < 0 && !(optional && errno == ENOENT)) die("open", path);
  return fd;
}

static void loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) die("socket", NULL);
  struct ifreq ifr = {0};
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) die("get flags of", "lo");
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) die("bring up", "lo");
  close(s);
}

static void setup_mounts(void) {
  /* Nothing we mount may propagate back to the host. */
  do_mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL, "/");

  /* Open every host path first: after the scratch tmpfs and the pivot they are out of reach,
   * and an fd cannot be redirected by a later rename or symlink. */
  int rootfd = open(o.newroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) die("open NEWROOT", o.newroot);
  for (int i = 0; i < o.nbinds; i++) {
    o.binds[i].srcfd = open(o.binds[i].src, O_PATH | O_CLOEXEC);
    if (o.binds[i].srcfd < 0) die("open volume source", o.binds[i].src);
  }
  if (o.share_net) {
    host_resolv = open_host("/etc/resolv.conf", O_PATH, 1);
    host_hosts = open_host("/etc/hosts", O_PATH, 1);
  }
  reject_symlink(rootfd, "proc");
  reject_symlink(rootfd, "dev");
  if (!o.no_sys) reject_symlink(rootfd, "sys");

  const char *scratch = scratch_dir();
  char opts[128] = "mode=0700";
  if (o.overlay_size) snprintf(opts, sizeof opts, "mode=0700,size=%s", o.overlay_size);
  do_mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV, opts, "scratch tmpfs");

  int newfd = build_root(rootfd, scratch);
  char p[32];

  setup_proc(newfd);
  setup_dev(newfd);
  if (!o.no_sys) setup_sys(newfd);
  user_mounts(newfd, scratch);
  if (o.workdir) close(target(newfd, o.workdir, K_DIR));
  int oldfd = -1;
  if (o.keep_oldroot) oldfd = target(newfd, o.oldroot, K_DIR);
  if (o.readonly) set_attrs(newfd, MOUNT_ATTR_RDONLY, 0, o.newroot);

  /* pivot_root(".", ".") stacks the old root on the new one; detaching it leaves only the new
   * root, and needs no directory for the old root inside the (read-only) image. */
  char root[PATH_MAX];
  snprintf(root, sizeof root, "%s/root", scratch);
  if (chdir(root) < 0) die("chdir", root);
  if (o.keep_oldroot) {
    if (syscall(SYS_pivot_root, ".", fdpath(oldfd, p)) < 0) die("pivot_root", o.newroot);
    close(oldfd);
    /* Show the host as it is: our scratch tmpfs would otherwise hide its /tmp. */
    char hidden[PATH_MAX + NAME_MAX + 2];
    snprintf(hidden, sizeof hidden, "/%s%s", o.oldroot, scratch);
    if (umount2(hidden, MNT_DETACH) < 0) die("umount", hidden);
  } else {
    if (syscall(SYS_pivot_root, ".", ".") < 0) die("pivot_root", o.newroot);
    if (umount2(".", MNT_DETACH) < 0) die("detach the old root", NULL);
  }
  if (chdir("/") < 0) die("chdir", "/");
  close(newfd);
  close(rootfd);
  if (host_resolv >= 0) close(host_resolv);
  if (host_hosts >= 0) close(host_hosts);
  for (int i = 0; i < o.nbinds; i++) close(o.binds[i].srcfd);
}

/* ------------------------------------------------------------------------------------------- */
/* cmd: the last steps before exec.                                                             */

static void send_fd(int sock, int fd) {
  char data = 'p';
  struct iovec iov = {.iov_base = &data, .iov_len = 1};
  union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
  memset(&u, 0, sizeof u);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  if (sendmsg(sock, &msg, MSG_NOSIGNAL) != 1) die("send the pty", NULL);
}

/* The pty lives in the container's own devpts; its master goes to the outer process. */
static void take_pty(int sock) {
  int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) die("open", "/dev/ptmx");
  if (unlockpt(master) < 0) die("unlockpt", "/dev/ptmx");
  char name[64];
  if (ptsname_r(master, name, sizeof name) != 0) die("ptsname", "/dev/ptmx");
  int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) die("open", name);
  /* The caller's window size now, from the terminal still on our stdin: set later by the outer
   * process, the change would reach CMD as a spurious SIGWINCH. */
  struct winsize ws;
  if (ioctl(0, TIOCGWINSZ, &ws) == 0 && ioctl(slave, TIOCSWINSZ, &ws) < 0) die("set window size", name);
  send_fd(sock, master);
  close(master);
  if (setsid() < 0) die("setsid", NULL);
  if (ioctl(slave, TIOCSCTTY, 0) < 0) die("set controlling terminal", name);
  for (int fd = 0; fd < 3; fd++)
    if (dup2(slave, fd) < 0) die("dup2", name);
  close(slave);
}

static void drop_caps(void) {
  char v[16];
  long last = CAP_LAST_FALLBACK;
  if (read_small("/proc/sys/kernel/cap_last_cap", v, sizeof v) == 0) last = strtol(v, NULL, 10);
  for (long c = 0; c <= last; c++)
    if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) die("drop capability bounding set", NULL);
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) die("clear ambient capabilities", NULL);
  struct { uint32_t version; int pid; } hdr = {0x20080522, 0};
  struct { uint32_t eff, prm, inh; } data[2] = {{0, 0, 0}, {0, 0, 0}};
  if (syscall(SYS_capset, &hdr, data) < 0) die("capset", NULL);
}

static const char *env_get(const char *key) {
  size_t n = strlen(key);
  for (int i = 0; i < o.nenv; i++)
    if (!strncmp(o.env[i], key, n) && o.env[i][n] == '=') return o.env[i] + n + 1;
  return NULL;
}

/* execvpe() searches the PATH of *our* environment; CMD's PATH is the one that counts. */
static void exec_command(void) __attribute__((noreturn));
static void exec_command(void) {
  const char *cmd = o.argv[0];
  int saved = ENOENT;
  if (strchr(cmd, '/')) {
    execve(cmd, o.argv, o.env);
    saved = errno;
  } else if (cmd[0]) {
    const char *path = env_get("PATH");
    if (!path) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    char full[PATH_MAX];
    for (const char *p = path;; ) {
      const char *end = strchrnul(p, ':');
      int len = (int)(end - p);
      if ((size_t)snprintf(full, sizeof full, "%.*s%s%s", len, p, len ? "/" : "", cmd) < sizeof full) {
        execve(full, o.argv, o.env);
        if (errno != ENOENT && errno != ENOTDIR) saved = errno; /* found, but cannot run it */
      }
      if (!*end) break;
      p = end + 1;
    }
  }
  if (saved == ENOENT || saved == ENOTDIR) {
    fprintf(stderr, "nsroot-exec: %s: command not found in image %s\n", cmd, image_label);
    _exit(EXIT_NOT_FOUND);
  }
  fprintf(stderr, "nsroot-exec: %s: cannot execute in image %s: %s\n", cmd, image_label, strerror(saved));
  _exit(EXIT_CANNOT_EXEC);
}

static void cmd_main(struct channel ch) __attribute__((noreturn));
static void cmd_main(struct channel ch) {
  /* Our /proc/self files belong to root while we are not dumpable; we must write our own maps. */
  if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0) die("prctl", "PR_SET_DUMPABLE");
  reset_signals();
  uid_t parent_uid = getuid();
  gid_t parent_gid = getgid();
  long uid = o.uid >= 0 ? o.uid : (long)parent_uid;
  long gid = o.gid >= 0 ? o.gid : (long)parent_gid;
  /* A user namespace of our own after the mounts: they are now locked, so even a payload that
   * is root in here cannot unmount a mask or remount anything read-write (F3). */
  if (unshare(CLONE_NEWUSER) < 0) die("unshare", "user namespace");
  char um[64], gm[64];
  snprintf(um, sizeof um, "%ld %u 1\n", uid, (unsigned)parent_uid);
  snprintf(gm, sizeof gm, "%ld %u 1\n", gid, (unsigned)parent_gid);
  write_maps("self", um, gm);
  if (ch.pty_sock >= 0) take_pty(ch.pty_sock);
  else if (setsid() < 0) die("setsid", NULL); /* TIOCSTI cannot reach the caller's terminal (F6) */
  /* A new session keyring: the caller's keys are not reachable (F11). ENOSYS: no keyrings;
   * EPERM: a seccomp filter (docker's) forbids keyctl, to the command as well. Nothing to hide. */
  if (syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, NULL) < 0 && errno != ENOSYS && errno != EPERM)
    die("join a new session keyring", NULL);
  const char *dir = o.workdir ? o.workdir : "/";
  if (chdir(dir) < 0) die("chdir", dir);
  /* E1, F4: the working directory must be reachable from our root ("(unreachable)/..." is not). */
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) die("getcwd in", dir);
  if (cwd[0] != '/') fail("working directory %s is outside the container", dir);
  /* F4: nothing of the host's crosses over. Before the limits: under a low nofile the fallback
   * for kernels before 5.9 could not open /proc/self/fd. */
  close_from(3);
  for (int i = 0; i < o.nrlimits; i++) {
    struct rlimit rl = {o.rlimits[i].soft, o.rlimits[i].hard};
    if (setrlimit(o.rlimits[i].res, &rl) < 0) die("setrlimit (limits can only be lowered)", o.rlimits[i].name);
  }
  umask(caller_umask);
  if (uid != 0) drop_caps();
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("prctl", "PR_SET_NO_NEW_PRIVS");
  exec_command();
}

static int status_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return EXIT_NSROOT;
}

/* pid 1: reap every zombie, pass signals on to cmd, exit with its status. Its exit kills
 * whatever cmd left behind, as the kernel kills a pid namespace whose init exits. */
static void init_loop(pid_t cmd, int life_r) __attribute__((noreturn));
static void init_loop(pid_t cmd, int life_r) {
  sigset_t set;
  relay_set(&set);
  int sfd = signalfd(-1, &set, SFD_CLOEXEC);
  if (sfd < 0) die("signalfd", NULL);
  struct pollfd pfd[2] = {{.fd = sfd, .events = POLLIN}, {.fd = life_r, .events = POLLIN}};
  for (;;) {
    if (poll(pfd, 2, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll", NULL);
    }
    if (pfd[1].revents) { /* the outer process is gone: so is the container */
      kill(-1, SIGKILL);
      _exit(EXIT_NSROOT);
    }
    struct signalfd_siginfo si;
    if (read(sfd, &si, sizeof si) != sizeof si) continue;
    if (si.ssi_signo != SIGCHLD) {
      kill(cmd, (int)si.ssi_signo);
      continue;
    }
    int status;
    pid_t p;
    while ((p = waitpid(-1, &status, WNOHANG)) > 0)
      if (p == cmd) _exit(status_code(status));
  }
}

static char *copy(const char *s) {
  char *c = strdup(s);
  if (!c) fail("out of memory");
  return c;
}

/* The payload can read /proc/1/cmdline: it must not learn host paths from our arguments. What
 * cmd still needs moves to the heap, and the arguments are wiped before cmd exists. */
static void hide_arguments(void) {
  for (int i = 0; o.argv[i]; i++) o.argv[i] = copy(o.argv[i]);
  for (int i = 0; i < o.nenv; i++) o.env[i] = copy(o.env[i]);
  if (o.workdir) o.workdir = copy(o.workdir);
  image_label = copy(image_label);
  if (arg_end > arg_start) {
    memset(arg_start, 0, (size_t)(arg_end - arg_start));
    snprintf(arg_start, (size_t)(arg_end - arg_start), "nsroot-init");
  }
}

static void init_main(struct channel ch) __attribute__((noreturn));
static void init_main(struct channel ch) {
  char go;
  if (read(ch.sync_r, &go, 1) != 1) _exit(EXIT_NSROOT); /* the outer process failed and said why */
  close(ch.sync_r);
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) die("prctl", "PR_SET_DUMPABLE");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die("prctl", "PR_SET_NO_NEW_PRIVS");
  if (setsid() < 0) die("setsid", NULL); /* out of the caller's foreground group: one ^C, not two */
  /* F13: our namespace may hold ours and cmd's, no more; nested ones fail with ENOSPC. */
  if (!o.allow_userns) write_file("/proc/sys/user/max_user_namespaces", "1");
  if (o.pids_max) {
    int fd = open("/proc/sys/kernel/pid_max", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, o.pids_max, strlen(o.pids_max)) < 0)
      die("--pids-max needs a per-namespace pid_max (Linux 6.14 or newer):", "/proc/sys/kernel/pid_max");
    close(fd);
  }
  caller_umask = umask(0);
  if (o.hostname && sethostname(o.hostname, strlen(o.hostname)) < 0) die("sethostname", o.hostname);
  if (!o.share_net) loopback_up();
  setup_mounts();
  hide_arguments();
  pid_t cmd = fork();
  if (cmd < 0) die("fork", NULL);
  if (cmd == 0) cmd_main(ch);
  if (ch.pty_sock >= 0) close(ch.pty_sock);
  init_loop(cmd, ch.life_r);
}

/* ------------------------------------------------------------------------------------------- */
/* outer: the host side.                                                                        */

/* fork() into new namespaces: the raw system call, as glibc's clone() wants a new stack. */
static pid_t spawn(unsigned long flags) {
  pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0) {
    if (errno == EINVAL || errno == EPERM || errno == ENOSPC || errno == EUSERS || errno == EACCES)
      userns_diagnose("clone");
    die("clone", NULL);
  }
  return pid;
}

/* Does MAP (uid_map lines) map OUTSIDE? */
static int maps_outside(const char *map, unsigned long outside) {
  for (const char *l = map; *l; ) {
    unsigned long in, out, n;
    if (sscanf(l, "%lu %lu %lu", &in, &out, &n) == 3 && outside >= out && outside - out < n) return 1;
    const char *nl = strchr(l, '\n');
    if (!nl) break;
    l = nl + 1;
  }
  return 0;
}

/* --check: make a user and mount namespace, map ourselves, mount a tmpfs. */
static int preflight(void) {
  int sync[2];
  if (pipe2(sync, O_CLOEXEC) < 0) die("pipe", NULL);
  pid_t pid = spawn(CLONE_NEWUSER | CLONE_NEWNS);
  if (pid == 0) {
    close(sync[1]);
    char go;
    if (read(sync[0], &go, 1) != 1) _exit(EXIT_NSROOT);
    if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
        mount("tmpfs", scratch_dir(), "tmpfs", 0, "size=4k") < 0)
      userns_diagnose("mount in it");
    _exit(0);
  }
  close(sync[0]);
  char um[64], gm[64];
  snprintf(um, sizeof um, "0 %u 1\n", (unsigned)geteuid());
  snprintf(gm, sizeof gm, "0 %u 1\n", (unsigned)getegid());
  write_child_maps(pid, um, gm);
  if (write(sync[1], "g", 1) != 1) die("write", "sync pipe");
  int status;
  if (waitpid(pid, &status, 0) < 0) die("waitpid", NULL);
  if (status_code(status) != 0) return EXIT_NSROOT;
  puts("ok");
  return 0;
}

/* cgroup v2 limits: a child of our own cgroup, when it is delegated to us. */
static char cgroup_path[PATH_MAX];

static void cgroup_fail(const char *why, const char *dir) __attribute__((noreturn));
static void cgroup_fail(const char *why, const char *dir) {
  /* No systemd recipe is offered: in a delegated scope we are a process of the cgroup, which then
   * cannot enable controllers for children (cgroup v2's no-internal-process rule). */
  fail("cgroup limits (--cgroup %s) need a delegated cgroup v2 subtree whose controllers are enabled "
       "for the children of nsroot's own cgroup, and %s%s%s; drop the cgroup limits (rlimits and "
       "--pids-max work without)", o.cgroup[0].key, why, dir ? ": " : "", dir ? dir : "");
}

static void cgroup_prepare(void) {
  char line[PATH_MAX + 64], mnt[PATH_MAX] = "", rel[PATH_MAX] = "";
  FILE *f = fopen("/proc/self/cgroup", "re");
  if (!f) die("open", "/proc/self/cgroup");
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, "0::", 3)) { snprintf(rel, sizeof rel, "%.*s", (int)sizeof rel - 1, line + 3); rel[strcspn(rel, "\n")] = 0; }
  fclose(f);
  if (!rel[0]) cgroup_fail("this process is in no cgroup v2", NULL);
  f = fopen("/proc/self/mountinfo", "re");
  if (!f) die("open", "/proc/self/mountinfo");
  while (fgets(line, sizeof line, f)) {
    char *sep = strstr(line, " - cgroup2 ");
    if (!sep) continue;
    char point[PATH_MAX];
    if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1) { snprintf(mnt, sizeof mnt, "%s", point); break; }
  }
  fclose(f);
  if (!mnt[0]) cgroup_fail("no cgroup v2 hierarchy is mounted", NULL);
  char dir[PATH_MAX * 2 + 2], file[PATH_MAX * 3];
  snprintf(dir, sizeof dir, "%s%s", mnt, strcmp(rel, "/") ? rel : "");
  snprintf(file, sizeof file, "%s/cgroup.subtree_control", dir);
  char controllers[512] = "";
  int fd = open(file, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t n = read(fd, controllers, sizeof controllers - 1);
    controllers[n > 0 ? n : 0] = 0;
    close(fd);
  }
  for (int i = 0; i < o.ncgroup; i++) {
    char want[64];
    snprintf(want, sizeof want, "%.*s", (int)strcspn(o.cgroup[i].key, "."), o.cgroup[i].key);
    int found = 0;
    for (char *tok = controllers; *tok; ) {
      size_t len = strcspn(tok, " \n");
      if (len == strlen(want) && !strncmp(tok, want, len)) found = 1;
      tok += len;
      while (*tok == ' ' || *tok == '\n') tok++;
    }
    if (!found) {
      char why[128];
      snprintf(why, sizeof why, "the %s controller is not enabled for the children of our cgroup", want);
      cgroup_fail(why, dir);
    }
  }
  if (access(dir, W_OK) < 0) cgroup_fail("our cgroup is not writable by us", dir);
  snprintf(cgroup_path, sizeof cgroup_path, "%.*s/nsroot-%d", (int)(sizeof cgroup_path - 32), dir, (int)getpid());
  if (mkdir(cgroup_path, 0755) < 0) cgroup_fail("a child cgroup cannot be created", cgroup_path);
  for (int i = 0; i < o.ncgroup; i++) {
    snprintf(file, sizeof file, "%s/%s", cgroup_path, o.cgroup[i].key);
    write_file(file, o.cgroup[i].value);
  }
}

static void cgroup_enter(pid_t pid) {
  char file[PATH_MAX + 32], num[32];
  snprintf(file, sizeof file, "%s/cgroup.procs", cgroup_path);
  snprintf(num, sizeof num, "%d", (int)pid);
  write_file(file, num);
}

static struct termios saved_tio;
static int tio_saved;

static void restore_tty(void) {
  if (tio_saved) tcsetattr(0, TCSADRAIN, &saved_tio);
}

static pid_t outer_pid;

/* On every exit of the outer process: the caller's terminal as it was, no empty cgroup left. */
static void outer_cleanup(void) {
  if (getpid() != outer_pid) return; /* init and cmd share this code, not the job */
  restore_tty();
  tio_saved = 0;
  if (cgroup_path[0]) rmdir(cgroup_path);
  cgroup_path[0] = 0;
}

static void copy_winsize(int master) {
  struct winsize ws;
  if (ioctl(0, TIOCGWINSZ, &ws) == 0) ioctl(master, TIOCSWINSZ, &ws);
}

static int recv_fd(int sock) {
  char data;
  struct iovec iov = {.iov_base = &data, .iov_len = 1};
  union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } u;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1) return -1;
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Copies what is readable on FROM to TO; returns 0 at end of input. */
static int pump(int from, int to) {
  char buf[8192];
  ssize_t n = read(from, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 1;
  if (n <= 0) return 0;
  return write_all(to, buf, (size_t)n) == 0;
}

static int outer_loop(pid_t init, int life_w, int pty_sock) {
  sigset_t set;
  relay_set(&set);
  int sfd = signalfd(-1, &set, SFD_CLOEXEC);
  if (sfd < 0) die("signalfd", NULL);
  int master = -1, stdin_open = 1, timed_out = 0;
  int64_t deadline = o.timeout_ms ? now_ms() + o.timeout_ms : 0;
  for (;;) {
    struct pollfd pfd[4];
    int n = 0;
    pfd[n++] = (struct pollfd){.fd = sfd, .events = POLLIN};
    int isock = -1, imaster = -1, istdin = -1;
    if (pty_sock >= 0) { isock = n; pfd[n++] = (struct pollfd){.fd = pty_sock, .events = POLLIN}; }
    if (master >= 0) { imaster = n; pfd[n++] = (struct pollfd){.fd = master, .events = POLLIN}; }
    if (master >= 0 && stdin_open) { istdin = n; pfd[n++] = (struct pollfd){.fd = 0, .events = POLLIN}; }
    int wait = -1;
    if (deadline && !timed_out) {
      int64_t left = deadline - now_ms();
      wait = left > 0 ? (int)(left > INT_MAX ? INT_MAX : left) : 0;
    }
    int r = poll(pfd, n, wait);
    if (r < 0) {
      if (errno == EINTR) continue;
      die("poll", NULL);
    }
    if (r == 0 && deadline && !timed_out) {
      fprintf(stderr, "nsroot-exec: timeout: %s ran longer than %ld.%03ld s; killed the container\n",
              o.argv[0], o.timeout_ms / 1000, o.timeout_ms % 1000);
      kill(init, SIGKILL); /* pid 1's death takes every process of the namespace with it */
      timed_out = 1;
      continue;
    }
    if (isock >= 0 && pfd[isock].revents) {
      master = recv_fd(pty_sock);
      close(pty_sock);
      pty_sock = -1;
      if (master >= 0) copy_winsize(master);
    }
    if (imaster >= 0 && pfd[imaster].revents && !pump(master, 1)) { close(master); master = -1; }
    if (istdin >= 0 && master >= 0 && pfd[istdin].revents && !pump(0, master)) stdin_open = 0;
    if (!(pfd[0].revents & POLLIN)) continue;
    struct signalfd_siginfo si;
    if (read(sfd, &si, sizeof si) != sizeof si) continue;
    if (si.ssi_signo == SIGWINCH && master >= 0) { copy_winsize(master); continue; }
    if (si.ssi_signo != SIGCHLD) { kill(init, (int)si.ssi_signo); continue; }
    int status;
    pid_t p = waitpid(init, &status, WNOHANG);
    if (p != init) continue;
    if (master >= 0) {
      int fl = fcntl(master, F_GETFL);
      if (fl >= 0) fcntl(master, F_SETFL, fl | O_NONBLOCK);
      while (pump(master, 1) > 0) {
        struct pollfd m = {.fd = master, .events = POLLIN};
        if (poll(&m, 1, 0) <= 0) break;
      }
    }
    outer_cleanup();
    close(life_w);
    if (timed_out) return EXIT_TIMEOUT;
    return status_code(status);
  }
}

/* The store's deleters take this lock exclusively (Java FileChannel locks are fcntl locks too),
 * so a rootfs is not removed under a running container (catalogue H7). The outer process owns the
 * lock; the descriptor is close-on-exec, and the command never sees it. */
static void hold_shared_lock(const char *path) {
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) die("open", path);
  struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  while (fcntl(fd, F_SETLKW, &fl) < 0)
    if (errno != EINTR) die("lock", path);
}

int main(int argc, char **argv) {
  outer_pid = getpid();
  ensure_std_fds();
  arg_start = argv[0];
  arg_end = argv[argc - 1] + strlen(argv[argc - 1]) + 1;
  parse_args(argc, argv);
  if (getuid() != geteuid() || getgid() != getegid())
    fail("refusing to run set-user-ID or set-group-ID"); /* it needs no privilege, so grants none */
  close_from(3); /* whatever the caller (a JVM) left open stays out */
  if (o.check) return preflight();
  if (o.lock) hold_shared_lock(o.lock);

  uid_t uid = geteuid();
  gid_t gid = getegid();
  if (!o.uid_map[0]) snprintf(o.uid_map, sizeof o.uid_map, "0 %u 1\n", (unsigned)uid);
  if (!o.gid_map[0]) snprintf(o.gid_map, sizeof o.gid_map, "0 %u 1\n", (unsigned)gid);
  if (!maps_outside(o.uid_map, uid)) fail("-M must map your uid %u", (unsigned)uid);
  if (!maps_outside(o.gid_map, gid)) fail("-G must map your gid %u", (unsigned)gid);
  /* Root's supplementary groups would follow it inside; an ordinary user cannot drop them, nor
   * can root of a user namespace whose setgroups is denied (EPERM). */
  if (uid == 0 && setgroups(0, NULL) < 0 && errno != EPERM) die("setgroups", NULL);
  if (o.pty && (!isatty(0) || !isatty(1))) fail("--pty needs a terminal on stdin and stdout");
  for (int i = 0; i < o.nrlimits; i++)
    if (o.rlimits[i].res == RLIMIT_NPROC && uid == 0)
      fputs("nsroot-exec: warning: --rlimit nproc does not bind processes of the host's root; "
            "use --pids-max or a cgroup\n", stderr);
  if (o.ncgroup) cgroup_prepare();

  int sync[2], life[2], sock[2] = {-1, -1};
  if (pipe2(sync, O_CLOEXEC) < 0 || pipe2(life, O_CLOEXEC) < 0) die("pipe", NULL);
  if (o.pty && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) < 0) die("socketpair", NULL);
  signal(SIGPIPE, SIG_IGN); /* a closed stdout must not kill us before the container */
  sigset_t set;
  relay_set(&set);
  if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) die("sigprocmask", NULL);

  unsigned long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS;
  if (!o.share_net) flags |= CLONE_NEWNET;
  if (!o.share_ipc) flags |= CLONE_NEWIPC;
  struct channel ch = {sync[0], life[0], sock[1]};
  pid_t init = spawn(flags);
  if (init == 0) {
    outer_pid = -1; /* (getpid() is 1 here, which the outer process may be too, in a container) */
    close(sync[1]);
    close(life[1]);
    if (sock[0] >= 0) close(sock[0]);
    init_main(ch);
  }
  close(sync[0]);
  close(life[0]);
  if (sock[1] >= 0) close(sock[1]);
  write_child_maps(init, o.uid_map, o.gid_map);
  if (o.ncgroup) cgroup_enter(init);
  if (o.pty) {
    if (tcgetattr(0, &saved_tio) < 0) die("tcgetattr", "stdin");
    struct termios raw = saved_tio;
    cfmakeraw(&raw);
    if (tcsetattr(0, TCSADRAIN, &raw) < 0) die("tcsetattr", "stdin");
    tio_saved = 1;
  }
  if (write(sync[1], "g", 1) != 1) die("write", "sync pipe");
  close(sync[1]);
  return outer_loop(init, life[1], sock[0]);
}
