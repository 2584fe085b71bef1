package org.nsroot.runtime.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nsroot.runtime.ExitStatus;
import org.nsroot.runtime.launch.Preflight;
import org.nsroot.runtime.launch.UserNamespacesUnavailableException;
import org.nsroot.runtime.testing.Containers;
import org.nsroot.runtime.testing.Mode;
import org.nsroot.runtime.testing.RunResult;
import org.nsroot.runtime.testing.TestEnv;

/**
 * A host that forbids user namespaces gets one clear line naming the setting and the fix. The
 * host's own sysctl cannot be changed here, but a user namespace has its own
 * user.max_user_namespaces: the helper runs inside one whose limit is 0.
 */
class PreflightIT {
  private static final List<String> NO_USERNS = List.of("/usr/bin/unshare", "--user", "--map-root-user",
      "/bin/sh", "-c", "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$0\" \"$@\"");

  static List<Mode> modes() {
    return Mode.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void preflightPassesWhereUserNamespacesWork(Mode mode) throws Exception {
    Preflight.check(TestEnv.get().helper(mode), mode.prefix());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void preflightNamesTheSettingAndTheFix(Mode mode) {
    List<String> prefix = new ArrayList<>(mode.prefix());
    prefix.addAll(NO_USERNS);
    UserNamespacesUnavailableException e = assertThrows(UserNamespacesUnavailableException.class,
        () -> Preflight.check(TestEnv.get().helper(mode), prefix));
    assertEquals("user namespaces are disabled on this host (user.max_user_namespaces=0); fix as root: "
        + "sysctl -w user.max_user_namespaces=15000 (persist it in /etc/sysctl.d/)", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void aRunOnSuchAHostFailsWith125AndTheSameLine(Mode mode) {
    Path rootfs = TestEnv.get().newRootfs(mode);
    ProcessBuilder pb = Containers.builder(mode, Containers.sh(rootfs, "echo ran").build());
    List<String> cmd = new ArrayList<>(pb.command());
    cmd.addAll(mode.prefix().size(), NO_USERNS);
    RunResult r = Containers.run(pb.command(cmd));
    assertEquals(ExitStatus.NSROOT_FAILED, r.exit(), r.toString());
    assertEquals("", r.stdout());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().startsWith("nsroot-exec: user namespaces are disabled on this host "
        + "(user.max_user_namespaces=0)"), r.stderr());
  }
}
