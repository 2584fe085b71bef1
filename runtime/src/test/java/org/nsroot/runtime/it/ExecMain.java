package org.nsroot.runtime.it;

import java.nio.file.Path;
import java.util.List;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.nsroot.runtime.helper.HelperBinary;
import org.nsroot.runtime.helper.HelperCommandLine;
import org.nsroot.runtime.launch.JvmReplacer;
import org.nsroot.runtime.spec.Mount;
import org.nsroot.runtime.spec.RunSpec;

/**
 * A stand-in for the CLI, run in its own JVM by {@link ExecPathIT}: it holds a file descriptor
 * open without close-on-exec (as a careless library might), then replaces itself with the helper.
 *
 * <p>Arguments: HELPER ROOTFS VOLUME LEAKFILE.
 */
public final class ExecMain {
  private ExecMain() {}

  public static void main(String[] args) throws Exception {
    POSIX posix = POSIXFactory.getNativePOSIX();
    int fd = posix.open(args[3], 0 /* O_RDONLY, no O_CLOEXEC */, 0);
    System.out.println("jvm-fd: " + fd);
    RunSpec spec = RunSpec.builder(Path.of(args[1]))
        .argv(List.of("/bin/sh", "-c", "touch /v/started; until [ -e /v/go ]; do sleep 0.05; done; probe fds; exit 42"))
        .env("PATH", "/bin")
        .mount(new Mount.Bind(Path.of(args[2]), "/v", false))
        .build();
    HelperBinary helper = HelperBinary.at(Path.of(args[0]));
    JvmReplacer.exec(helper, HelperCommandLine.of(helper, spec));
  }
}
