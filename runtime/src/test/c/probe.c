/*
 * probe: small static checks run inside test containers (and, for a few, on the host), one per
 * sub-command. Each prints "NAME: OK" or "NAME: <errno name>" so tests can assert on the outcome;
 * the exit status is 0 unless the probe itself was misused.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int report(const char *name, int rc) {
  if (rc < 0) printf("%s: %s\n", name, strerrorname_np(errno));
  else printf("%s: OK\n", name);
  fflush(stdout);
  return 0;
}

static int cmd_tiocsti(void) {
  char c = '\n';
  report("tiocsti", ioctl(0, TIOCSTI, &c));
  /* CVE-2019-10063: the same request with high bits set must fail the same way. */
  unsigned long wide = TIOCSTI | (1UL << 32);
  report("tiocsti64", (int)syscall(SYS_ioctl, 0, wide, &c));
  return 0;
}

static int cmd_chroot_escape(void) {
  struct stat before, after;
  if (stat("/", &before) < 0) return report("stat", -1);
  mkdir("/tmp/escape", 0755);
  if (chroot("/tmp/escape") < 0) return report("chroot-escape", -1);
  for (int i = 0; i < 64; i++)
    if (chdir("..") < 0) break;
  if (chroot(".") < 0) return report("chroot-escape", -1);
  if (stat("/", &after) < 0) return report("stat", -1);
  printf("chroot-escape: %s\n", before.st_dev == after.st_dev && before.st_ino == after.st_ino ? "CONTAINED" : "ESCAPED");
  return 0;
}

static int cmd_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) return report("fds", -1);
  int self = dirfd(d);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    int fd = atoi(e->d_name);
    if (fd == self) continue;
    char path[64], target[4096];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, target, sizeof target - 1);
    target[n > 0 ? n : 0] = 0;
    printf("fd %d -> %s\n", fd, target);
  }
  closedir(d);
  return 0;
}

static int cmd_forkmax(long max) {
  long n = 0;
  for (; n < max; n++) {
    pid_t p = fork();
    if (p < 0) {
      printf("forkmax: stopped after %ld: %s\n", n, strerrorname_np(errno));
      fflush(stdout);
      return 0;
    }
    if (p == 0) {
      pause();
      _exit(0);
    }
  }
  printf("forkmax: reached %ld\n", n);
  return 0;
}

static int connect_tcp(const char *host, int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return -1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  inet_pton(AF_INET, host, &a.sin_addr);
  int rc = connect(s, (struct sockaddr *)&a, sizeof a);
  close(s);
  return rc;
}

static int connect_abstract(const char *name) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  if (s < 0) return -1;
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  size_t len = strlen(name);
  if (len > sizeof a.sun_path - 1) len = sizeof a.sun_path - 1;
  memcpy(a.sun_path + 1, name, len);
  int rc = connect(s, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len));
  close(s);
  return rc;
}

static int listen_abstract(const char *name, char **argv) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  size_t len = strlen(name);
  memcpy(a.sun_path + 1, name, len);
  if (s < 0 || bind(s, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len)) < 0 ||
      listen(s, 8) < 0)
    return report("listen-abstract", -1);
  /* Keep listening while the given command runs, then report its status. */
  pid_t p = fork();
  if (p == 0) {
    close(s);
    execv(argv[0], argv);
    _exit(127);
  }
  int st;
  waitpid(p, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static long keyctl(int op, long a, long b, long c) { return syscall(SYS_keyctl, op, a, b, c, 0); }

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: probe CMD [ARGS]\n"); return 2; }
  const char *c = argv[1];
  if (!strcmp(c, "tiocsti")) return cmd_tiocsti();
  if (!strcmp(c, "chroot-escape")) return cmd_chroot_escape();
  if (!strcmp(c, "setgroups")) return report("setgroups", setgroups(0, NULL));
  if (!strcmp(c, "seteuid")) return report("seteuid", seteuid(65534));
  if (!strcmp(c, "mknod")) return report("mknod", mknod("/tmp/probe-null", S_IFCHR | 0666, makedev(1, 3)));
  if (!strcmp(c, "open-write") && argc > 2) {
    int fd = open(argv[2], O_WRONLY);
    return report("open-write", fd);
  }
  if (!strcmp(c, "open-path") && argc > 2) return report("open-path", open(argv[2], O_PATH));
  if (!strcmp(c, "open-read") && argc > 2) return report("open-read", open(argv[2], O_RDONLY));
  if (!strcmp(c, "readlink") && argc > 2) {
    char buf[4096];
    return report("readlink", (int)readlink(argv[2], buf, sizeof buf));
  }
  if (!strcmp(c, "kill") && argc > 3) return report("kill", kill(atoi(argv[2]), atoi(argv[3])));
  if (!strcmp(c, "ptrace") && argc > 2) return report("ptrace", (int)ptrace(PTRACE_ATTACH, atoi(argv[2]), 0, 0));
  if (!strcmp(c, "connect") && argc > 3) return report("connect", connect_tcp(argv[2], atoi(argv[3])));
  if (!strcmp(c, "connect-abstract") && argc > 2) return report("connect-abstract", connect_abstract(argv[2]));
  if (!strcmp(c, "listen-abstract") && argc > 3) return listen_abstract(argv[2], argv + 3);
  if (!strcmp(c, "fds")) return cmd_fds();
  if (!strcmp(c, "list") && argc > 2) {
    DIR *d = opendir(argv[2]);
    if (!d) return report("list", -1);
    errno = 0;
    while (readdir(d)) {}
    int rc = errno ? -1 : 0;
    return report("list", rc);
  }
  if (!strcmp(c, "forkmax") && argc > 2) return cmd_forkmax(atol(argv[2]));
  if (!strcmp(c, "statroot")) {
    struct stat st;
    if (stat("/", &st) < 0) return report("statroot", -1);
    printf("statroot: %lu:%lu\n", (unsigned long)st.st_dev, (unsigned long)st.st_ino);
    return 0;
  }
  if (!strcmp(c, "mount") && argc > 4) {
    /* probe mount TYPE SOURCE TARGET [ro] */
    unsigned long f = argc > 5 && !strcmp(argv[5], "ro") ? MS_RDONLY : 0;
    return report("mount", mount(argv[3], argv[4], argv[2], f, NULL));
  }
  if (!strcmp(c, "remount-rw") && argc > 2) return report("remount-rw", mount(NULL, argv[2], NULL, MS_REMOUNT | MS_BIND, NULL));
  if (!strcmp(c, "umount") && argc > 2) return report("umount", umount2(argv[2], MNT_DETACH));
  if (!strcmp(c, "unshare-user")) return report("unshare-user", unshare(CLONE_NEWUSER));
  if (!strcmp(c, "shm-find") && argc > 2) return report("shm-find", shmget((key_t)strtol(argv[2], NULL, 0), 0, 0));
  if (!strcmp(c, "session-keyring")) {
    long id = keyctl(0 /* GET_KEYRING_ID */, -3 /* KEY_SPEC_SESSION_KEYRING */, 0, 0);
    if (id < 0) return report("session-keyring", -1);
    printf("session-keyring: %ld\n", id);
    return 0;
  }
  if (!strcmp(c, "key-search") && argc > 2) {
    long id = keyctl(10 /* SEARCH */, -3, (long)"user", (long)argv[2]);
    return report("key-search", id < 0 ? -1 : 0);
  }
  if (!strcmp(c, "add-key-exec") && argc > 3) {
    /* probe add-key-exec DESC PROG ARGS...: a fresh session keyring holding key DESC, then exec */
    if (keyctl(1 /* JOIN_SESSION_KEYRING */, (long)"nsroot-test", 0, 0) < 0) return report("join", -1);
    if (syscall(SYS_add_key, "user", argv[2], "secret", 6, -3) < 0) return report("add-key", -1);
    report("host-key-search", keyctl(10, -3, (long)"user", (long)argv[2]) < 0 ? -1 : 0);
    execv(argv[3], argv + 3);
    return report("exec", -1);
  }
  if (!strcmp(c, "getcwd")) {
    char buf[4096];
    if (!getcwd(buf, sizeof buf)) return report("getcwd", -1);
    printf("getcwd: %s\n", buf);
    return 0;
  }
  fprintf(stderr, "probe: unknown command %s\n", c);
  return 2;
}
