package org.nsroot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.cli.testing.Cli;
import org.nsroot.cli.testing.TestUser;
import org.nsroot.fetch.testing.Compression;
import org.nsroot.fetch.testing.FaultProxy;
import org.nsroot.fetch.testing.LocalRegistry;
import org.nsroot.fetch.testing.RegistryPusher;
import org.nsroot.fetch.testing.TarBuilder;
import org.nsroot.fetch.testing.TestImage;

/**
 * {@code nsroot login} and {@code logout} through the launcher, as root and as a plain user, against
 * a real registry with basic auth and, behind a proxy, with docker's token flow.
 */
class LoginCliIT {
  static final String PASSWORD = "Secret-99";
  static LocalRegistry secured;
  static LocalRegistry open;

  @TempDir static Path shared;
  @TempDir Path tmp;

  @BeforeAll
  static void setUp() throws Exception {
    secured = LocalRegistry.start(shared.resolve("secured"), new String[] {"ann", PASSWORD}, null, null);
    open = LocalRegistry.start(shared.resolve("open"));
    TestImage image = TestImage.oci()
        .layer(new TarBuilder().file("hello", "from a private registry").build(), Compression.GZIP)
        .build();
    new RegistryPusher(secured.baseUri(), "ann", PASSWORD).push("private/tool", "1", image);
    new RegistryPusher(open.baseUri()).push("private/tool", "1", image);
  }

  @AfterAll
  static void tearDown() {
    secured.close();
    open.close();
  }

  private static Cli.Result login(Cli cli, String registry, String password) throws Exception {
    return cli.shell("printf '%s\\n' '" + password + "' | \"$NSROOT\" login -u ann --password-stdin " + registry);
  }

  @Test
  void loginKeepsCredentialsForPullsAndLogoutForgetsThem() throws Exception {
    String ref = secured.host() + "/private/tool:1";
    for (Cli cli : Cli.everyUser(tmp)) {
      Path config = Path.of(cli.home(), ".docker", "config.json");
      Cli.Result denied = cli.run("pull", "-q", "--no-rootfs", ref);
      assertEquals(4, denied.exit(), "no credentials yet: " + denied);
      assertTrue(denied.err().contains("run nsroot login " + secured.host()), "says what to do: " + denied);

      Cli.Result in = login(cli, secured.host(), PASSWORD);
      assertEquals(0, in.exit(), cli.who() + ": " + in);
      assertTrue(in.out().contains("Login Succeeded") && in.out().contains(config.toString()), in.toString());
      Cli.Result mode = cli.shell("stat -c '%a %U' " + config + " " + config.getParent());
      assertEquals(List.of("600 " + cli.who(), "700 " + cli.who()), mode.out().lines().toList(), mode.toString());

      Cli.Result pulled = cli.run("pull", "-q", "--no-rootfs", ref);
      assertEquals(0, pulled.exit(), "the saved credentials are used: " + pulled);

      byte[] before = Files.readAllBytes(config);
      Cli.Result wrong = login(cli, secured.host(), "Wrong-77");
      expectOneLine(wrong, 4, "refused the login of ann (401): wrong user name or password?");
      assertEquals(new String(before), new String(Files.readAllBytes(config)), "a failed login changes nothing");

      Cli.Result out = cli.run("logout", secured.host());
      assertEquals(0, out.exit(), out.toString());
      assertTrue(out.out().contains("Removed the credentials for " + secured.host()), out.toString());
      assertEquals(4, cli.run("pull", "-q", "--no-rootfs", ref).exit(), "credentials are gone");
      Cli.Result again = cli.run("logout", secured.host());
      assertEquals(0, again.exit());
      assertTrue(again.out().contains("Not logged in to " + secured.host()), again.toString());

      for (Cli.Result r : List.of(in, pulled, wrong, out)) {
        assertFalse(r.toString().contains(PASSWORD), r.toString());
      }
      assertFalse(TestUser.anyFileContains(cli.store(), PASSWORD), "the store never holds a password");
    }
  }

  @Test
  void tokenServicesCheckTheLoginToo() throws Exception {
    Cli cli = Cli.everyUser(tmp).get(0);
    try (FaultProxy proxy = new FaultProxy(open.baseUri())) {
      proxy.requireBearer(new String[] {"ann", "Token-Pw-5"});
      expectOneLine(login(cli, proxy.host(), "Wrong-77"), 4, "wrong user name or password");
      assertFalse(Files.exists(Path.of(cli.home(), ".docker", "config.json")), "nothing saved");
      Cli.Result in = login(cli, proxy.host(), "Token-Pw-5");
      assertEquals(0, in.exit(), in.toString());
      // A login asks for a token for no repository (a scope like "repository::pull" is invalid).
      assertEquals(List.of("service=test", "service=test"), proxy.tokenQueries());
      Cli.Result pulled = cli.run("pull", "-q", "--no-rootfs", proxy.host() + "/private/tool:1");
      assertEquals(0, pulled.exit(), pulled.toString());
      assertEquals("service=test&scope=repository%3Aprivate%2Ftool%3Apull", proxy.tokenQueries().get(2));
    }
  }

  @Test
  void loginRefusesWhatItCannotUse() throws Exception {
    Cli cli = Cli.everyUser(tmp).get(0);
    expectOneLine(cli.run("login", "-u", "ann", secured.host()), 2, "no password: pass --password-stdin");
    expectOneLine(cli.run("login", secured.host()), 2, "no user name: pass -u USER");
    expectOneLine(cli.run("login", "-u", "ann", "--password-stdin", "bad host"), 2, "invalid registry 'bad host'");
    expectOneLine(cli.shell("printf '\\n' | \"$NSROOT\" login -u ann --password-stdin " + secured.host()), 2,
        "the password is empty");
    // Only the line end is taken off the standard input, as docker does: a space is the secret's.
    assertEquals(4, login(cli, secured.host(), PASSWORD + " ").exit(), "a trailing space is part of the password");
    Cli.Result crlf = cli.shell("printf '%s\\r\\n' '" + PASSWORD + "' | \"$NSROOT\" login -u ann --password-stdin "
        + secured.host());
    assertEquals(0, crlf.exit(), "a CRLF line end is taken off: " + crlf);
    Cli.Result visible = cli.run("login", "-u", "ann", "-p", PASSWORD, secured.host());
    assertEquals(0, visible.exit(), visible.toString());
    assertTrue(visible.err().contains("visible to other users"), "a password in argv is warned about: " + visible);
    assertFalse(visible.toString().contains(PASSWORD));
    Cli.Result unreachable = login(cli, "127.0.0.1:" + LocalRegistry.freePort(), PASSWORD);
    assertEquals(5, unreachable.exit(), unreachable.toString());
  }

  private static void expectOneLine(Cli.Result r, int exit, String text) {
    assertEquals(exit, r.exit(), r.toString());
    List<String> lines = r.errLines();
    assertEquals(1, lines.size(), "one line: " + r);
    assertTrue(lines.get(0).startsWith("nsroot: ") && lines.get(0).contains(text), r.toString());
  }
}
