package org.nsroot.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageUsersTest {
  @TempDir Path root;

  @BeforeEach
  void image() throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n# comment\n"
        + "bob:x:1000:1000:Bob:/home/bob:/bin/sh\nbroken line\ntool:x:1001:50::/opt/tool:/bin/false\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\nbob:x:1000:\nstaff:x:50:\n");
  }

  @Test
  void namesAndNumbersResolveInTheImagesOwnFiles() throws Exception {
    ResolvedUser bob = ImageUsers.resolve(root, "bob");
    assertEquals(1000, bob.uid());
    assertEquals(1000, bob.gid());
    assertEquals(Optional.of("/home/bob"), bob.home());
    assertEquals(Optional.empty(), bob.passwdFile());
    assertEquals(Optional.empty(), bob.groupFile());
    ResolvedUser tool = ImageUsers.resolve(root, "tool:staff");
    assertEquals(1001, tool.uid());
    assertEquals(50, tool.gid());
    ResolvedUser numeric = ImageUsers.resolve(root, "1000:50");
    assertEquals(Optional.of("/home/bob"), numeric.home());
    assertEquals(50, numeric.gid());
    ResolvedUser none = ImageUsers.resolve(root, "");
    assertEquals(0, none.uid());
    assertEquals(Optional.of("/root"), none.home());
  }

  @Test
  void anUnknownIdGetsAGeneratedEntryAppendedToTheImagesFile() throws Exception {
    ResolvedUser u = ImageUsers.resolve(root, "4242:4343");
    assertEquals(Optional.empty(), u.home());
    assertTrue(u.passwdFile().orElseThrow().startsWith("root:x:0:0:root:/root:/bin/sh\n"));
    assertTrue(u.passwdFile().orElseThrow().endsWith("\nnsroot:x:4242:4343:nsroot user:/:/bin/sh\n"));
    assertTrue(u.groupFile().orElseThrow().endsWith("staff:x:50:\nnsroot:x:4343:\n"));
  }

  @Test
  void unknownNamesAreErrorsNamingThem() {
    assertEquals("user alice is not in the image's /etc/passwd",
        assertThrows(UnknownUserException.class, () -> ImageUsers.resolve(root, "alice")).getMessage());
    assertEquals("group wheel is not in the image's /etc/group",
        assertThrows(UnknownUserException.class, () -> ImageUsers.resolve(root, "bob:wheel")).getMessage());
    assertThrows(ImageConfigException.class, () -> ImageUsers.resolve(root, "bob:"));
    assertThrows(ImageConfigException.class, () -> ImageUsers.resolve(root, "99999999999"));
  }

  @Test
  void aPasswdThatIsNotARegularFileIsNotRead() throws Exception {
    Files.delete(root.resolve("etc/passwd"));
    Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/dev/zero"));
    // /dev/zero inside the image does not exist: the host's is never opened.
    assertThrows(UnknownUserException.class, () -> ImageUsers.resolve(root, "bob"));
    Files.createDirectories(root.resolve("dev"));
    new ProcessBuilder("mkfifo", root.resolve("dev/zero").toString()).start().waitFor();
    ImageConfigException e = assertThrows(ImageConfigException.class, () -> ImageUsers.resolve(root, "bob"));
    assertEquals("the image's /etc/passwd is not a regular file; not reading it", e.getMessage());
  }

  @Test
  void aHugePasswdIsRefused() throws Exception {
    Files.writeString(root.resolve("etc/passwd"), "x".repeat(ImageUsers.MAX_FILE_BYTES + 1));
    assertTrue(assertThrows(ImageConfigException.class, () -> ImageUsers.resolve(root, "bob"))
        .getMessage().contains("larger than"));
  }

  @Test
  void imageSymlinksAreResolvedInsideTheImage(@TempDir Path host) throws Exception {
    // The host has a passwd naming "hostuser"; the image links its /etc to that directory.
    Files.writeString(host.resolve("passwd"), "hostuser:x:7:7::/:/bin/sh\n");
    Path etc = root.resolve("etc");
    Files.move(etc, root.resolve("real-etc"));
    Files.createSymbolicLink(etc, host);
    assertThrows(UnknownUserException.class, () -> ImageUsers.resolve(root, "hostuser"));
    // A relative link climbing out stops at the image's root: ../../../real-etc is /real-etc.
    Files.delete(etc);
    Files.createSymbolicLink(etc, Path.of("../../../../real-etc"));
    assertEquals(1000, ImageUsers.resolve(root, "bob").uid());
    // A loop is an error, not a hang.
    Files.delete(etc);
    Files.createSymbolicLink(etc, Path.of("/etc"));
    assertTrue(assertThrows(ImageConfigException.class, () -> ImageUsers.resolve(root, "bob"))
        .getMessage().contains("too many symbolic links"));
  }
}
