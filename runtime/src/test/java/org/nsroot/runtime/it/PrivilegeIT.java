package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.spec.RunSpec;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/**
 * What a payload can do to escape or to reach the host: the old root, chroot, mounts,
 * capabilities, setgroups, file descriptors, the helper through /proc, the terminal, secrets in
 * the environment and keyrings, nested user namespaces (F1 to F6, F11, F13).
 */
class PrivilegeIT {
  static List<Mode> modes() {
    return Mode.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void theOldRootIsGone(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "cat /proc/self/mountinfo; echo ---; readlink /proc/self/root; readlink /proc/self/cwd; "
            + "for d in /.old_root /mnt; do test -e $d && echo present $d; done; echo end")
        .build());
    assertEquals(0, r.exit(), r.toString());
    String[] parts = r.stdout().split("---\n");
    List<String[]> mounts = parts[0].lines().map(l -> l.split(" ")).collect(Collectors.toList());
    // The root is the rootfs (mountinfo names its path on the host's filesystem).
    String[] root = mounts.stream().filter(f -> f[4].equals("/")).findFirst().orElseThrow();
    assertEquals(rootfs.toString(), root[3]);
    List<String> points = new ArrayList<>();
    for (String[] f : mounts) {
      points.add(f[4]);
      // Nothing else of the root's filesystem is mounted: in particular not the host's own /.
      if (f != root) {
        assertFalse(f[2].equals(root[2]) && !f[3].startsWith(rootfs.toString()), String.join(" ", f));
      }
    }
    for (String p : points) {
      assertTrue(p.equals("/") || p.matches("/(proc|dev|sys|tmp)(/.*)?"), "unexpected mount point " + p);
    }
    assertEquals("/\n/\nend\n", parts[1], "neither the old root nor its mount point is left");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void chrootEscapeAndRemountsFailEvenForRootInside(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    // Root inside, nested user namespaces allowed, so that the mounts themselves are what fails.
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "probe chroot-escape; "
            + "unshare -mrpf probe mount proc none /proc; "
            + "unshare -mr probe mount sysfs none /tmp; "
            + "unshare -mrn probe mount sysfs none /tmp; "
            + "probe mount proc none /tmp; probe remount-rw /; probe mount tmpfs none /tmp; "
            + "probe open-write /proc/sys/kernel/hostname; "
            // In a mount namespace of its own, every mount made by the helper is locked.
            + "unshare -mr probe umount /proc/keys; unshare -mr probe umount /proc; unshare -mr probe remount-rw /")
        .allowNestedUserns(true).build());
    assertEquals(0, r.exit(), r.toString());
    // /proc/sys is read-only (EROFS); for a user other than root the owner check comes first.
    assertTrue(r.stdout().matches("chroot-escape: CONTAINED\nmount: EPERM\nmount: EPERM\nmount: EPERM\n"
        + "mount: EPERM\nremount-rw: EPERM\nmount: EPERM\nopen-write: (EROFS|EACCES)\n"
        + "umount: EINVAL\numount: EINVAL\nremount-rw: EPERM\n"), r.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void rootInsideCannotUndoMasksOrChangeGroups(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "probe umount /proc/keys; probe umount /proc/sys; wc -c < /proc/keys; ls /sys/firmware | wc -l; "
            + "probe setgroups; probe seteuid; probe mknod; grep NoNewPrivs /proc/self/status").build());
    assertEquals(0, r.exit(), r.toString());
    // F7: masked files read empty, masked directories list empty; F3: the masks stay.
    assertEquals("umount: EPERM\numount: EPERM\n0\n0\nsetgroups: EPERM\nseteuid: EINVAL\nmknod: EPERM\n"
        + "NoNewPrivs:\t1\n", r.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void anUnprivilegedUserInsideHasNoCapabilities(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunResult r = Containers.run(mode, Containers.sh(rootfs,
        "id -u; grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs)' /proc/self/status; probe setgroups")
        .ids(1000, 1000).build());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("1000\nCapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
        + "CapBnd:\t0000000000000000\nCapAmb:\t0000000000000000\nNoNewPrivs:\t1\nsetgroups: EPERM\n", r.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void noFileDescriptorOfTheCallerCrossesOver(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    Path secret = TestEnv.get().newDir("fd").resolve("secret");
    Files.writeString(secret, "secret\n");
    RunSpec spec = Containers.sh(rootfs, "probe fds; cd /proc/self/fd/9 2>/dev/null && echo ESCAPED; "
        + "cat /proc/self/fd/7 2>/dev/null && echo LEAKED; exit 0").build();
    ProcessBuilder pb = Containers.builder(mode, spec);
    // A caller that leaks: fd 7 on a file, fd 9 on the host's / (the Leaky Vessels shape).
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "exec 7<\"$0\" 9</; exec \"$@\"", secret.toString()));
    cmd.addAll(pb.command());
    RunResult r = Containers.run(pb.command(cmd));
    assertEquals(0, r.exit(), r.toString());
    List<String> fds = r.stdout().lines().map(l -> l.split(" ")[1]).collect(Collectors.toList());
    assertEquals(List.of("0", "1", "2"), fds, r.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void theHelperCannotBeReachedThroughProc(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    for (long uid : new long[] {0, 1000}) {
      RunResult r = Containers.run(mode, Containers.sh(rootfs,
          "probe open-write /proc/1/exe; probe open-path /proc/1/exe; probe open-read /proc/1/exe; "
              + "probe readlink /proc/1/exe; probe open-path /proc/1/root; probe readlink /proc/1/cwd; "
              + "probe readlink /proc/1/fd/0; probe open-read /proc/1/environ; "
              + "probe list /proc/1/map_files").ids(uid, uid).build());
      assertEquals(0, r.exit(), r.toString());
      assertEquals("open-write: EACCES\nopen-path: EACCES\nopen-read: EACCES\nreadlink: EACCES\n"
          + "open-path: EACCES\nreadlink: EACCES\nreadlink: EACCES\nopen-read: EACCES\nlist: EACCES\n",
          r.stdout(), "uid " + uid);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void theCommandCannotPushInputIntoTheCallersTerminal(Mode mode) throws Exception {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunSpec spec = Containers.sh(rootfs, "probe tiocsti").build();
    // stdin is a terminal (script's pty), and no --pty: the command must not reach that terminal.
    RunResult r = Containers.run(new ProcessBuilder("script", "-qec", Shell.join(Containers.builder(mode, spec).command()),
        "/dev/null").redirectErrorStream(false));
    assertEquals(0, r.exit(), r.toString());
    assertEquals("tiocsti: EPERM\r\ntiocsti64: EPERM\r\n", r.stdout());
    if (Files.readString(Path.of("/proc/sys/dev/tty/legacy_tiocsti")).trim().equals("1")) {
      // The same probe on the host, in script's session, does inject: the check above is real.
      RunResult host = Containers.run(new ProcessBuilder("script", "-qec", TestEnv.get().probe() + " tiocsti",
          "/dev/null"));
      assertTrue(host.stdout().contains("tiocsti: OK"), host.toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void hostSecretsInTheEnvironmentAndKeyringStayOut(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunSpec spec = Containers.sh(rootfs, "env | sort; probe key-search nsroot-canary-key")
        .env("GIVEN", "yes").build();
    ProcessBuilder pb = Containers.builder(mode, spec);
    // A helper started from a shell full of secrets, whose session keyring holds a key.
    pb.environment().put("REGISTRY_PASSWORD", "hunter2");
    pb.environment().put("SSH_AUTH_SOCK", "/tmp/ssh-agent.sock");
    pb.environment().put("AWS_SECRET_ACCESS_KEY", "aws-secret");
    List<String> cmd = new ArrayList<>(List.of(TestEnv.get().probe().toString(), "add-key-exec", "nsroot-canary-key"));
    cmd.addAll(pb.command());
    if (!cmd.get(3).startsWith("/")) {
      throw new AssertionError("the helper must be called by absolute path: " + cmd);
    }
    RunResult r = Containers.run(pb.command(cmd));
    assertEquals(0, r.exit(), r.toString());
    assertEquals("host-key-search: OK\nGIVEN=yes\nPATH=/bin\nPWD=/\nSHLVL=1\nkey-search: ENOKEY\n", r.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void nestedUserNamespacesAreDeniedUnlessAllowed(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    RunResult denied = Containers.run(mode, Containers.sh(rootfs, "probe unshare-user; unshare -U true; echo $?").build());
    assertEquals("unshare-user: ENOSPC\n1\n", denied.stdout(), denied.toString());
    RunResult allowed = Containers.run(mode, Containers.sh(rootfs, "probe unshare-user").allowNestedUserns(true).build());
    assertEquals("unshare-user: OK\n", allowed.stdout(), allowed.toString());
  }
}
