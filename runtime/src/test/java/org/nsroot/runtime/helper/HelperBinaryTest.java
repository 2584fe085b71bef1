package org.nsroot.runtime.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelperBinaryTest {
  @TempDir Path tmp;

  @Test
  void installUnpacksTheJarsHelperWithMode0500AndItsHash() throws Exception {
    HelperBinary h = HelperBinary.install(tmp.resolve("bin"));
    assertEquals(tmp.resolve("bin/nsroot-exec"), h.path());
    assertEquals("r-x------", PosixFilePermissions.toString(Files.getPosixFilePermissions(h.path())));
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(h.path())));
    assertEquals(HelperBinary.expectedSha256(), sha);
    assertEquals(sha, h.sha256());
    try (var files = Files.list(tmp.resolve("bin"))) {
      assertEquals(java.util.Set.of("nsroot-exec", ".nsroot-exec.verified"),
          files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
          "temporary files left behind");
    }
    // It is a real ELF executable, the helper's --version answers.
    Process p = new ProcessBuilder(h.path().toString(), "--version").start();
    assertTrue(new String(p.getInputStream().readAllBytes()).startsWith("nsroot-exec "));
    assertEquals(0, p.waitFor());
  }

  @Test
  void aChangedHelperIsRefusedBeforeUseAndRepairedByInstall() throws Exception {
    HelperBinary h = HelperBinary.install(tmp.resolve("bin"));
    Files.setPosixFilePermissions(h.path(), PosixFilePermissions.fromString("rwx------"));
    Files.write(h.path(), new byte[] {0}, StandardOpenOption.APPEND);
    Files.setPosixFilePermissions(h.path(), PosixFilePermissions.fromString("r-x------"));
    HelperTamperedException e = assertThrows(HelperTamperedException.class, h::verify);
    assertTrue(e.getMessage().contains("is not the nsroot-exec of this nsroot"), e.getMessage());
    assertThrows(HelperTamperedException.class, () -> HelperBinary.at(h.path()));
    HelperBinary.install(tmp.resolve("bin")).verify();
    h.verify();
  }

  @Test
  void aForgedOrStaleRecordNeverSparesTheHash() throws Exception {
    HelperBinary h = HelperBinary.install(tmp.resolve("bin"));
    Path record = tmp.resolve("bin/.nsroot-exec.verified");
    assertTrue(Files.readString(record).startsWith(h.sha256() + " "));
    // Replace the binary by another file with the same size and mtime: inode and ctime differ.
    byte[] bytes = Files.readAllBytes(h.path());
    bytes[bytes.length / 2] ^= 1;
    Path other = tmp.resolve("bin/other");
    Files.write(other, bytes);
    Files.setLastModifiedTime(other, Files.getLastModifiedTime(h.path()));
    Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("r-x------"));
    Files.move(other, h.path(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThrows(HelperTamperedException.class, h::verify);
    assertThrows(HelperTamperedException.class, h::verifyHash);
    // A garbage record is ignored: the real file is hashed, passes, and the record is rewritten.
    // (A path this JVM has not verified yet, so that its in-memory record cannot answer instead.)
    HelperBinary fixed = HelperBinary.install(tmp.resolve("bin"));
    Path fresh = Files.createDirectories(tmp.resolve("fresh")).resolve(HelperBinary.FILE_NAME);
    Files.copy(fixed.path(), fresh);
    Path freshRecord = fresh.resolveSibling(".nsroot-exec.verified");
    Files.writeString(freshRecord, "garbage\n");
    HelperBinary.at(fresh);
    assertTrue(Files.readString(freshRecord).startsWith(fixed.sha256() + " "), "a valid record replaces the garbage");
  }

  @Test
  void aHelperOthersCanWriteIsRefused() throws Exception {
    HelperBinary h = HelperBinary.install(tmp.resolve("bin"));
    Files.setPosixFilePermissions(h.path(), PosixFilePermissions.fromString("r-x-w----"));
    assertTrue(assertThrows(HelperTamperedException.class, h::verify).getMessage().contains("others could replace it"));
    Files.setPosixFilePermissions(h.path(), PosixFilePermissions.fromString("r-x------"));
    Files.setPosixFilePermissions(tmp.resolve("bin"), PosixFilePermissions.fromString("rwxrwxrwx"));
    assertTrue(assertThrows(HelperTamperedException.class, h::verify).getMessage().startsWith("directory of "));
  }

  @Test
  void aSymlinkOrAMissingFileIsRefused() throws Exception {
    HelperBinary real = HelperBinary.install(tmp.resolve("real"));
    Files.createDirectories(tmp.resolve("bin"));
    Files.createSymbolicLink(tmp.resolve("bin/nsroot-exec"), real.path());
    assertThrows(HelperTamperedException.class, () -> HelperBinary.at(tmp.resolve("bin/nsroot-exec")));
    assertThrows(HelperTamperedException.class, () -> HelperBinary.at(tmp.resolve("nothing/nsroot-exec")));
    // install replaces the link by the real file.
    HelperBinary fixed = HelperBinary.install(tmp.resolve("bin"));
    assertTrue(Files.isRegularFile(fixed.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }
}
