package org.nsroot.runtime.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.nsroot.runtime.helper.HelperBinary;
import org.nsroot.runtime.helper.HelperInvocation;
import org.nsroot.runtime.helper.HelperTamperedException;

/**
 * Hands the helper's command line to the {@code nsroot} launcher script, which executes it once
 * the JVM has exited: the same effect as {@link JvmReplacer} (no JVM lingers, the process the
 * shell started becomes the helper) without loading jnr-posix, whose start-up (it generates its
 * bindings at run time) costs about 300 ms — four times the rest of {@code nsroot run}.
 *
 * <p>The file holds NUL-terminated words: a marker, the number of argv words, the helper's argv,
 * then the helper's whole environment as {@code KEY=VALUE}. The launcher created the file (with
 * O_EXCL), so only the user can have written it, and opened it for reading before starting the
 * JVM: the file is removed once written, and the launcher reads the plan through that descriptor
 * (an rm process would cost every run a millisecond).
 */
public final class ExecPlan {
  /** The system property the launcher sets to the file it will read. */
  public static final String PROPERTY = "nsroot.exec.file";
  static final String MARKER = "nsroot-exec-plan-1";

  private ExecPlan() {}

  /** Whether a launcher is waiting for a plan (else use {@link JvmReplacer}). */
  public static boolean requested() {
    String f = System.getProperty(PROPERTY);
    return f != null && !f.isEmpty();
  }

  /**
   * Writes the plan for {@code invocation} of the helper, after checking the helper again: a pull
   * may have taken minutes since it was installed. The caller then exits with 0.
   *
   * @throws LaunchException when the plan cannot be written, or the helper path would not survive
   *     the launcher's {@code env -i} (a name containing '=')
   */
  public static void write(HelperBinary helper, HelperInvocation invocation)
      throws HelperTamperedException, LaunchException {
    helper.verify();
    List<String> argv = invocation.argv();
    if (argv.get(0).indexOf('=') >= 0) {
      throw new LaunchException("the helper's path contains '=': " + argv.get(0));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    word(out, MARKER);
    word(out, Integer.toString(argv.size()));
    for (String a : argv) {
      word(out, a);
    }
    for (String e : invocation.envp()) {
      word(out, e);
    }
    Path file = Path.of(System.getProperty(PROPERTY));
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("not a regular file");
      }
      Files.write(file, out.toByteArray(), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
          LinkOption.NOFOLLOW_LINKS);
      Files.delete(file);
    } catch (IOException e) {
      throw new LaunchException("cannot write the launch plan " + file + ": " + e.getMessage(), e);
    }
  }

  private static void word(ByteArrayOutputStream out, String s) throws LaunchException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (byte x : b) {
      if (x == 0) {
        throw new LaunchException("a word of the helper's command line contains a NUL byte");
      }
    }
    out.writeBytes(b);
    out.write(0);
  }
}
