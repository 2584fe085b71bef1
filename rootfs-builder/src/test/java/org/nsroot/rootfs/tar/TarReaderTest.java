package org.nsroot.rootfs.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nsroot.rootfs.testing.Build;
import org.nsroot.rootfs.testing.TarBuilder;

/** The tar reader against GNU tar's real output (sparse, ustar prefix) and broken input. */
class TarReaderTest {
  @TempDir Path tmp;

  private static TarReader reader(byte[] tar) {
    return new TarReader(new ByteArrayInputStream(tar), 1 << 20, 1000);
  }

  private byte[] gnuTar(Path dir, String... args) throws Exception {
    Path out = tmp.resolve("out.tar");
    List<String> cmd = new java.util.ArrayList<>(List.of("tar", "-C", dir.toString(), "-cf", out.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String msg = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), msg);
    return Files.readAllBytes(out);
  }

  private Path sparseFile() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Path f = src.resolve("sparse");
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap("head".getBytes()), 0);
      ch.write(java.nio.ByteBuffer.wrap("middle".getBytes()), 5L << 20);
      ch.write(java.nio.ByteBuffer.wrap("tail".getBytes()), 20L << 20);
      ch.truncate((20L << 20) + 8192);
    }
    return src;
  }

  @Test
  void gnuAndPaxSparseFilesAreRestoredWithTheirHoles() throws Exception {
    Path src = sparseFile();
    byte[] expected = Files.readAllBytes(src.resolve("sparse"));
    int i = 0;
    for (String[] fmt : List.of(new String[] {"--format=gnu"}, new String[] {"--format=posix", "--sparse-version=1.0"},
        new String[] {"--format=posix", "--sparse-version=0.1"}, new String[] {"--format=posix", "--sparse-version=0.0"})) {
      String[] args = Arrays.copyOf(fmt, fmt.length + 2);
      args[fmt.length] = "-S";
      args[fmt.length + 1] = "sparse";
      byte[] tar = gnuTar(src, args);
      assertTrue(tar.length < 1 << 20, "the tar itself is sparse: " + tar.length);
      Path dest = tmp.resolve("dest" + i);
      Build.of(tmp.resolve("work"), dest, tar);
      assertArrayEquals(expected, Files.readAllBytes(dest.resolve("sparse")), String.join(" ", fmt));
      long size = (Long) Files.getAttribute(dest.resolve("sparse"), "unix:size");
      assertEquals(expected.length, size);
      i++;
    }
  }

  @Test
  void ustarPrefixFieldIsJoined() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("u"));
    String dir = "p".repeat(90) + "/" + "q".repeat(50);
    Files.createDirectories(src.resolve(dir));
    Files.writeString(src.resolve(dir + "/file-" + "r".repeat(80)), "x");
    TarReader r = reader(gnuTar(src, "--format=ustar", "."));
    TarEntry e;
    boolean found = false;
    while ((e = r.next()) != null) {
      found |= new String(e.name()).equals("./" + dir + "/file-" + "r".repeat(80));
    }
    assertTrue(found);
    assertTrue(r.sawEndMarker());
  }

  @Test
  void base256NumbersAndChecksums() throws Exception {
    byte[] b = new byte[12];
    b[0] = (byte) 0x80;
    b[11] = 5;
    b[10] = 1;
    assertEquals(261, TarReader.parseNumber(b, 0, 12, "size", 0));
    Arrays.fill(b, (byte) 0xff);
    assertEquals(-1, TarReader.parseNumber(b, 0, 12, "mtime", 0));
    byte[] tar = TarBuilder.posix().file("f", "x", 0644).build();
    tar[3] ^= 1;
    TarFormatException x = assertThrows(TarFormatException.class, () -> reader(tar).next());
    assertTrue(x.getMessage().contains("invalid tar header"));
  }

  @Test
  void endOfStreamWithoutEndBlocksIsReportedAndTruncatedDataFails() throws Exception {
    byte[] tar = TarBuilder.posix().file("f", "x", 0644).build();
    TarReader r = reader(Arrays.copyOf(tar, 1024));
    assertEquals("f", new String(r.next().name()));
    assertNull(r.next());
    assertFalse(r.sawEndMarker());
    TarReader cut = reader(Arrays.copyOf(tar, 600));
    cut.next();
    assertThrows(TarFormatException.class, cut::next, "truncated member data");
  }

  @Test
  void paxRecordsAreBoundedAndRawBytesKept() throws Exception {
    byte[] tar = TarBuilder.posix().file("f", "x".getBytes(), 0644,
        java.util.Map.of("SCHILY.xattr.user.bin", "v", "comment", "c".repeat(5000))).build();
    TarReader small = new TarReader(new ByteArrayInputStream(tar), 1024, 10);
    assertThrows(TarLimitException.class, small::next);
    TarEntry e = reader(tar).next();
    assertEquals(1, e.xattrs().size());
    assertArrayEquals("user.bin".getBytes(), e.xattrs().get(0).name());
  }
}
