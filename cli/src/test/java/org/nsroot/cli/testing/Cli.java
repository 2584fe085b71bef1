package org.nsroot.cli.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the {@code nsroot} launcher as a user would, and captures what it printed. */
public final class Cli {
  private final Path checkout;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final boolean asTestUser;

  /** A result: the exit status and both streams. */
  public record Result(int exit, String out, String err) {
    public List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Cli(Path checkout, boolean asTestUser, Path home) {
    this.checkout = checkout;
    this.asTestUser = asTestUser;
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    env.put("HOME", home.toString());
    env.put("NSROOT_NO_BUILD", "1");
    String javaHome = System.getProperty("java.home");
    env.put("JAVA_HOME", javaHome);
  }

  /** The repository's own launcher, run by the current user. */
  public static Cli asCurrentUser(Path home) {
    return new Cli(Checkout.repository(), false, home);
  }

  /** A root-built copy of the launcher, run as the unprivileged test user. */
  public static Cli asTestUser(Path tmp) throws IOException {
    TestUser.require();
    return new Cli(Checkout.stagedForOtherUsers(), true, TestUser.home(tmp));
  }

  /** Both ways a user meets nsroot in these tests: as root (when the tests are root) and unprivileged. */
  public static List<Cli> everyUser(Path tmp) throws IOException {
    List<Cli> all = new ArrayList<>();
    if (TestUser.runningAsRoot()) {
      Path rootHome = Files.createTempDirectory(tmp, "roothome-");
      all.add(asCurrentUser(rootHome));
      all.add(asTestUser(tmp));
    } else {
      all.add(asCurrentUser(Files.createTempDirectory(tmp, "home-")));
    }
    return all;
  }

  public Cli env(String key, String value) {
    env.put(key, value);
    return this;
  }

  public Map<String, String> env() {
    return env;
  }

  public String home() {
    return env.get("HOME");
  }

  /** The store this user's nsroot uses by default. */
  public Path store() {
    String nh = env.get("NSROOT_HOME");
    return nh != null ? Path.of(nh) : Path.of(home(), ".local/share/nsroot");
  }

  /**
   * A fresh directory under this user's home that the user owns (for volumes, markers and files
   * the user's nsroot reads or writes).
   */
  public Path ownedDir(String name) throws IOException {
    Path dir = Files.createDirectories(Path.of(home(), name));
    if (asTestUser) {
      Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(TestUser.NAME));
    }
    return dir;
  }

  /** Writes a file this user owns (an env file, a script) and returns its path. */
  public Path ownedFile(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
    if (asTestUser) {
      Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(TestUser.NAME));
    }
    return file;
  }

  /** The launcher's path, as {@code $NSROOT} in {@link #shell}. */
  public Path launcher() {
    return checkout.resolve("nsroot");
  }

  /** Starts {@code nsroot args...} in the background; stdin is /dev/null, stdout and stderr go to files. */
  public Process start(Path out, Path err, String... args) throws IOException {
    return processBuilder(args).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
  }

  public String who() {
    return asTestUser ? TestUser.NAME : System.getProperty("user.name");
  }

  public ProcessBuilder processBuilder(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(checkout.resolve("nsroot").toString());
    cmd.addAll(List.of(args));
    String[] full = asTestUser ? TestUser.wrap(cmd.toArray(String[]::new)) : cmd.toArray(String[]::new);
    ProcessBuilder pb = new ProcessBuilder(full);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.directory(new File(home()));
    return pb;
  }

  /** Runs {@code nsroot args...} to completion (at most two minutes). */
  public Result run(String... args) throws IOException, InterruptedException {
    return run(processBuilder(args));
  }

  /** Runs a shell command line with this user and environment (for umask and the like). */
  public Result shell(String script) throws IOException, InterruptedException {
    String[] sh = {"sh", "-c", script};
    ProcessBuilder pb = new ProcessBuilder(asTestUser ? TestUser.wrap(sh) : sh);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put("NSROOT", checkout.resolve("nsroot").toString());
    pb.directory(new File(home()));
    return run(pb);
  }

  private static Result run(ProcessBuilder pb) throws IOException, InterruptedException {
    Path out = Files.createTempFile("nsroot-out", ".txt");
    Path err = Files.createTempFile("nsroot-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("nsroot did not finish in 2 minutes: " + pb.command());
    }
    Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }
}
