package org.nsroot.rootfs.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.nsroot.rootfs.BuildLimits;
import org.nsroot.rootfs.CorruptLayerException;
import org.nsroot.rootfs.HostileEntryException;
import org.nsroot.rootfs.LayerSource;
import org.nsroot.rootfs.LimitExceededException;
import org.nsroot.rootfs.RootfsBuilder;
import org.nsroot.rootfs.RootfsException;
import org.nsroot.rootfs.tar.TarWriter;

/**
 * The hostile-layer table: catalogue cases A1–A21, B1–B5, C1–C5, each run against a fresh $T with
 * the INV-1 canaries planted outside the target, and an expected outcome (REJECT naming the entry
 * and layer, CONFINE with a check inside the rootfs, SKIP+WARN). Runs in-process (as root, from
 * {@code HostileLayersTest}) and in a child JVM as the unprivileged {@code nsroot-test} user
 * ({@code HostileLayersUnprivilegedIT}) through {@link #main}.
 */
public final class HostileCases {
  private HostileCases() {}

  /** What a case expects. */
  public record Case(String id, Function<Path, List<LayerSource>> layers, Class<? extends Exception> rejects,
      String entry, String layer, Check confine, BuildLimits limits) {}

  /** A check of the accepted rootfs. */
  @FunctionalInterface
  public interface Check {
    void check(Path dest, Build b, Path t) throws Exception;
  }

  private static Case reject(String id, String entry, String layer, Function<Path, List<LayerSource>> l) {
    return new Case(id, l, HostileEntryException.class, entry, layer, null, BuildLimits.defaults());
  }

  private static Case fails(String id, Class<? extends Exception> type, String fragment,
      Function<Path, List<LayerSource>> l, BuildLimits limits) {
    return new Case(id, l, type, fragment, null, null, limits);
  }

  private static Case confine(String id, Function<Path, List<LayerSource>> l, Check c) {
    return new Case(id, l, null, null, null, c, BuildLimits.defaults());
  }

  private static List<LayerSource> ls(byte[]... tars) {
    return Build.layers(tars);
  }

  private static TarBuilder t() {
    return TarBuilder.posix();
  }

  private static void must(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  private static boolean exists(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p);
  }

  /** A raw tar: (name, typeflag, link, data) members through our writer (exact bytes). */
  private static byte[] raw(Object[]... members) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      TarWriter w = new TarWriter(b);
      for (Object[] m : members) {
        byte[] data = m.length > 3 ? ((String) m[3]).getBytes(StandardCharsets.UTF_8) : new byte[0];
        w.member(((String) m[0]).getBytes(StandardCharsets.ISO_8859_1), (Character) m[1], 0644, data.length,
            TarBuilder.T0, 0, m[2] == null ? null : ((String) m[2]).getBytes(StandardCharsets.ISO_8859_1));
        w.data(data, 0, data.length);
        w.endData();
      }
      w.finish();
      return b.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 16 files of 256 KiB zeros: each under a 1 MiB cap, together over it. */
  private static byte[] zeros() {
    TarBuilder tb = t();
    for (int i = 0; i < 16; i++) {
      tb.file("zeros" + i, new byte[256 << 10], 0644);
    }
    return tb.build();
  }

  /** A file "f" preceded by a PAX header with one raw record (values Commons Compress refuses). */
  private static byte[] pax(String key, String value) {
    String rec = key + "=" + value + "\n";
    int len = rec.length() + 3;
    rec = len + " " + rec;
    if (rec.length() != len) {
      rec = rec.length() + " " + key + "=" + value + "\n";
    }
    return raw(new Object[] {"././@PaxHeader", 'x', null, rec}, new Object[] {"f", '0', null, "x"});
  }

  /** Rewrites header bytes of the first member and fixes its checksum (or not). */
  private static byte[] patch(byte[] tar, int off, byte[] bytes, boolean fixChecksum) {
    byte[] r = tar.clone();
    System.arraycopy(bytes, 0, r, off, bytes.length);
    if (fixChecksum) {
      for (int i = 148; i < 156; i++) {
        r[i] = ' ';
      }
      long sum = 0;
      for (int i = 0; i < 512; i++) {
        sum += r[i] & 0xff;
      }
      byte[] c = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(c, 0, r, 148, 8);
    }
    return r;
  }

  public static List<Case> all() {
    List<Case> c = new ArrayList<>();
    // A1 parent traversal
    for (String n : List.of("../victim/dotdot", "/../victim/slash-dotdot", "..", "../pwned", "../../pwned",
        "tmp/../../moo", "./../x")) {
      c.add(reject("A1 " + n, n, "layer 1/1", T -> ls(raw(new Object[] {n, '0', null, "x"}))));
    }
    c.add(confine("A1 dot-prefixed names", T -> ls(t().file("..gitme", "g", 0644).file("...", "d", 0644).build()),
        (d, b, T) -> must(exists(d.resolve("..gitme")) && exists(d.resolve("...")), "dotted names extracted")));
    // A2 absolute names
    c.add(confine("A2 absolute names", T -> ls(raw(new Object[] {"/tmp/moo", '0', null, "1"},
        new Object[] {"//tmp/moo2", '0', null, "2"}, new Object[] {"////etc/x", '0', null, "3"})),
        (d, b, T) -> {
          must(read(d.resolve("tmp/moo")).equals("1") && read(d.resolve("tmp/moo2")).equals("2")
              && read(d.resolve("etc/x")).equals("3"), "absolute names inside the rootfs");
          must(b.report.layers().get(0).absoluteNamesFixed() == 3, "counted");
        }));
    // A3 degenerate names
    c.add(confine("A3 empty and degenerate names", T -> ls(raw(new Object[] {"", '0', null, "e"},
        new Object[] {".", '5', null}, new Object[] {"foo//bar", '0', null, "fb"}, new Object[] {"foo/./baz", '0', null, "z"})),
        (d, b, T) -> {
          must(read(d.resolve("foo/bar")).equals("fb") && exists(d.resolve("foo/baz")), "normalised names");
          must(b.warnings.stream().anyMatch(w -> w.contains("empty name")), "empty name warned");
        }));
    // A4 write through a symlink
    c.add(confine("A4 SymlinkAbsolute", T -> ls(t().symlink("localetc", "/etc").file("localetc/unbroken", "u", 0644).build()),
        (d, b, T) -> must(exists(d.resolve("etc/unbroken")), "in-root")));
    c.add(confine("A4 absolute link to $T", T -> ls(t().symlink("localetc", T.resolve("victim").toString())
        .file("localetc/hello", "overwritten?", 0644).build()),
        (d, b, T) -> must(read(d.resolve(d.relativize(d).resolve(T.resolve("victim/hello").toString().substring(1)))).equals("overwritten?"),
            "written inside the rootfs")));
    c.add(confine("A4 SymlinkUpAndOut", T -> ls(t().symlink("localetc", "/dummy/../etc").file("localetc/x", "x", 0644).build()),
        (d, b, T) -> must(exists(d.resolve("etc/x")), "in-root")));
    c.add(confine("A4 SymlinkMultiple", T -> ls(t().dir("dummy", 0755).symlink("dummy/etc", T.resolve("victim").toString())
        .symlink("localetc", "./dummy/etc").file("localetc/m", "m", 0644).build()),
        (d, b, T) -> must(exists(d.resolve(T.resolve("victim/m").toString().substring(1))), "in-root")));
    c.add(confine("A4 file replaces symlink", T -> ls(t().symlink("moo", T.resolve("outside-file").toString())
        .file("moo", "replaced", 0644).build()),
        (d, b, T) -> must(Files.isRegularFile(d.resolve("moo"), LinkOption.NOFOLLOW_LINKS), "link replaced")));
    c.add(reject("A4 loophole-victim", "loophole-victim/file", "layer 1/1",
        T -> ls(t().symlink("loophole-victim", "../victim").file("loophole-victim/file", "x", 0644).build())));
    c.add(reject("A4 dir/loophole", "dir/loophole/newdir/newfile", "layer 1/1",
        T -> ls(t().dir("dir", 0755).symlink("dir/loophole", "../../victim").file("dir/loophole/newdir/newfile", "x", 0644).build())));
    // A5 two-hop chains
    c.add(reject("A5 go_up/escape", "inner/go_up/escape/newfile", "layer 1/1",
        T -> ls(t().dir("inner", 0755).symlink("inner/go_up", "..").symlink("inner/go_up/escape", "../victim")
            .file("inner/go_up/escape/newfile", "x", 0644).build())));
    c.add(reject("A5 dirsymlink2a", "par/moo", "layer 1/1",
        T -> ls(t().symlink("cur", ".").symlink("par", "cur/..").file("par/moo", "x", 0644).build())));
    c.add(reject("A5 dirsymlink2b", "par/moo", "layer 1/1",
        T -> ls(t().symlink("cur", ".").symlink("cur/par", "..").file("par/moo", "x", 0644).build())));
    // A6 sibling prefix
    c.add(reject("A6 dest-evil", "grab", "layer 1/1", T -> ls(t().hardlink("grab", "../dest-evil/secret").build())));
    // A7 legitimate links
    c.add(confine("A7 var/run -> /run", T -> ls(t().dir("var", 0755).symlink("var/run", "/run").build(),
        t().file("var/run/existing/non-existing/file", "f", 0644).hardlink("h", "var/run/existing/non-existing/file").build()),
        (d, b, T) -> must(exists(d.resolve("run/existing/non-existing/file")) && exists(d.resolve("h")), "through abs link")));
    // A8
    c.add(reject("A8 relative escape before absolute", "escape/absolute/file", "layer 2/2",
        T -> ls(t().symlink("escape", "..").symlink("absolute", "/target").build(),
            t().file("escape/absolute/file", "x", 0644).build())));
    // A9 root type change
    c.add(reject("A9 . symlink", ".", "layer 1/1", T -> ls(raw(new Object[] {".", '2', "/"}, new Object[] {"f", '0', null, "x"}))));
    c.add(reject("A9 ./ file", "./", "layer 1/1", T -> ls(raw(new Object[] {"./", '0', null, "x"}))));
    c.add(reject("A9 / symlink", "/", "layer 1/1", T -> ls(raw(new Object[] {"/", '2', "/home/user"}))));
    // A10 hardlink escapes
    c.add(reject("A10 dotdot", "dotdot", "layer 1/1", T -> ls(t().hardlink("dotdot", "../victim/hello").build())));
    c.add(reject("A10 slash-dotdot", "slash-dotdot", "layer 1/1", T -> ls(t().hardlink("slash-dotdot", "/../victim/hello").build())));
    c.add(confine("A10 localpasswd in-root", T -> ls(t().dir("etc", 0755).file("etc/passwd", "root:x:0:0", 0644)
        .hardlink("localpasswd", "/etc/passwd").build()),
        (d, b, T) -> must(read(d.resolve("localpasswd")).equals("root:x:0:0"), "linked in-root")));
    c.add(reject("A10 HardlinkRelative", "breakouts/mypasswd", "layer 1/1",
        T -> ls(t().dir("breakouts", 0755).symlink("breakouts/d1", "../../victim").hardlink("breakouts/mypasswd", "/breakouts/d1/hello").build())));
    c.add(reject("A10 HardlinkRelativeLong", "grab", "layer 1/1",
        T -> ls(t().symlink("localetc", "../../../../../../../victim").hardlink("grab", "localetc/hello").build())));
    c.add(reject("A10 absolute symlink to $T then hardlink", "grab", "layer 1/1",
        T -> ls(t().symlink("localetc", T.resolve("victim").toString()).hardlink("grab", "localetc/hello").build())));
    c.add(reject("A10 hardlink to directory", "loophole", "layer 1/1",
        T -> ls(t().dir("victimdir", 0755).hardlink("loophole", "victimdir").build())));
    c.add(reject("A10 hardlink to missing target", "nolink", "layer 1/1", T -> ls(t().hardlink("nolink", "notthere").build())));
    // A11
    c.add(confine("A11 hardlink with data", T -> ls(raw(new Object[] {"f", '0', null, "real"},
        new Object[] {"g", '1', "f", "payload-through-link"})),
        (d, b, T) -> {
          must(read(d.resolve("f")).equals("real") && read(d.resolve("g")).equals("real"), "data ignored");
          must(b.report.layers().get(0).hardlinkDataIgnored() == 1, "counted");
        }));
    // A12
    c.add(confine("A12 hardlink to symlink", T -> ls(t().symlink("symlink1", "regfile").hardlink("symlink2", "symlink1")
        .file("regfile", "r", 0644).symlink("passwdlink", T.resolve("outside-file").toString())
        .hardlink("localpasswd", "/passwdlink").build()),
        (d, b, T) -> must(Files.isSymbolicLink(d.resolve("symlink2")) && Files.isSymbolicLink(d.resolve("localpasswd")),
            "links are to the symlink inodes")));
    // A13 metadata through symlinks
    c.add(confine("A13 chmod/utimes through symlink", T -> ls(t().mtime(2_000_000_000L).symlink("sketchylink", T.resolve("perm400").toString())
        .build(), t().dir("d", 0777).symlink("d", T.resolve("victim").toString()).build()),
        (d, b, T) -> must(Files.isSymbolicLink(d.resolve("d")), "d is the later symlink")));
    c.add(confine("A13 xattr on symlink", T -> {
      TarBuilder tb = t();
      TarArchiveEntry e = tb.newEntry("xl", TarConstants.LF_SYMLINK);
      e.setLinkName(T.resolve("perm400").toString());
      e.addPaxHeader("SCHILY.xattr.user.x", "evil");
      return ls(tb.add(e, null).build());
    }, (d, b, T) -> must(b.report.layers().get(0).xattrsSkipped() == 1, "xattr on symlink skipped")));
    // A14
    c.add(reject("A14 file under a non-directory (decision: reject)", "nondir/foo/bar/baz", "layer 1/1",
        T -> ls(t().file("nondir", "n", 0644).file("nondir/foo/bar/baz", "x", 0644).build())));
    c.add(confine("A14 DirectoryOverrideSymlink", T -> ls(t().symlink("localetc", T.resolve("victim").toString()).build(),
        t().dir("localetc", 0755).file("localetc/x", "x", 0644).hardlink("localetc/h", "localetc/x").build()),
        (d, b, T) -> must(Files.isDirectory(d.resolve("localetc"), LinkOption.NOFOLLOW_LINKS) && exists(d.resolve("localetc/h")), "dir replaced link")));
    // A15 entry order
    c.add(confine("A15 SymlinkOverridePath", T -> ls(t().dir("foo", 0755).dir("foo/tmp", 0755).file("foo/tmp/breakout-X", "012", 0644)
        .symlink("foo", "/").file("foo/tmp/breakout-X", "345", 0644).dir("foo", 0755).dir("foo/tmp", 0755)
        .file("foo/tmp/breakout-X", "678", 0644).build()),
        (d, b, T) -> {
          must(read(d.resolve("foo/tmp/breakout-X")).equals("678"), "final content");
          must(read(d.resolve("tmp/breakout-X")).equals("345"), "middle write stayed in-root");
        }));
    c.add(confine("A15 a -> $T/victim after a/x", T -> ls(t().dir("a", 0755).file("a/x", "x", 0644)
        .symlink("a", T.resolve("victim").toString()).file("a/y", "y", 0644).build()),
        (d, b, T) -> must(exists(d.resolve(T.resolve("victim/y").toString().substring(1))), "in-root")));
    // A16 special files
    c.add(confine("A16 devices skipped, fifo made", T -> ls(t().device("dev/mem", false, 1, 1).device("sda", true, 8, 0)
        .fifo("fifo", 0644).file("dev/regular", "r", 0644).build()),
        (d, b, T) -> {
          must(!exists(d.resolve("sda")) && exists(d.resolve("fifo")) && exists(d.resolve("dev/regular")), "types");
          must(b.warnings.stream().filter(w -> w.contains("device")).count() == 1, "one device warning");
        }));
    c.add(fails("A16 unknown typeflag", CorruptLayerException.class, "unhandled tar header type 'Z'",
        T -> ls(patch(raw(new Object[] {"z", '0', null, "x"}), 156, new byte[] {'Z'}, true)), BuildLimits.defaults()));
    c.add(fails("A16 device number out of range", CorruptLayerException.class, "device number out of range",
        T -> ls(patch(t().device("dev/x", false, 1, 1).build(), 329,
            new byte[] {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0}, true)), BuildLimits.defaults()));
    // A17 modes, unprivileged writes into read-only and 000 directories
    c.add(confine("A17 read-only and 000 dirs written by later layers", T -> ls(
        t().dir("ro", 0555).file("ro/a", "a", 0444).dir("zero", 0000).file("suid", "s", 04755).file("shadow", "s", 0000).build(),
        t().file("ro/b", "b", 0644).file("zero/c", "c", 0644).file("ro/a", "a2", 0644).build()),
        (d, b, T) -> {
          must((int) Files.getAttribute(d.resolve("ro"), "unix:mode") % 010000 == 0555, "ro mode kept");
          must((int) Files.getAttribute(d.resolve("zero"), "unix:mode") % 010000 == 0, "000 mode restored");
          must((int) Files.getAttribute(d.resolve("suid"), "unix:mode") % 010000 == 04755, "setuid kept");
          java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
          org.nsroot.rootfs.RootfsExporter.export(d, tar);
          must(new String(tar.toByteArray(), StandardCharsets.ISO_8859_1).contains("zero/c"), "export reads 000 dirs");
          must((int) Files.getAttribute(d.resolve("zero"), "unix:mode") % 010000 == 0, "000 mode put back after export");
        }));
    c.add(confine("A17 hardlink out of a 000 dir; /etc without u+x", T -> ls(
        t().dir("zero", 0000).file("zero/f", "f", 0644).dir("etc", 0600).build(),
        t().hardlink("link", "zero/f").build()),
        (d, b, T) -> {
          must(Files.readString(d.resolve("link")).equals("f"), "hardlink made");
          must((int) Files.getAttribute(d.resolve("zero"), "unix:mode") % 010000 == 0, "000 mode restored");
          must((int) Files.getAttribute(d.resolve("etc"), "unix:mode") % 010000 == 0600, "/etc mode restored");
        }));
    // A18
    c.add(confine("A18 xattrs", T -> ls(t().file("f", "x".getBytes(StandardCharsets.UTF_8), 0644,
        Map.of("SCHILY.xattr.user.foo", "bar", "SCHILY.xattr.security.selinux", "s", "SCHILY.xattr.system.posix_acl_access", "a")).build()),
        (d, b, T) -> must(b.report.layers().get(0).xattrsSkipped() == 2 && b.report.layers().get(0).xattrsKept() == 1, "counted")));
    // A19 names byte for byte
    c.add(confine("A19 non-UTF-8", T -> ls(TarBuilder.gnuBytes().file(TarBuilder.raw(new byte[] {(byte) 0xff, (byte) 0xfe}), "x", 0644).build()),
        (d, b, T) -> must(Snapshot.of(d).containsKey(TarBuilder.raw(new byte[] {(byte) 0xff, (byte) 0xfe})), "byte exact")));
    // A20
    c.add(fails("A20 depth limit", LimitExceededException.class, "limit exceeded",
        T -> ls(t().file("a/".repeat(200) + "x", "x", 0644).build()), BuildLimits.defaults().withMaxPathDepth(100)));
    c.add(fails("A20 depth limit of a hard link's target", LimitExceededException.class, "limit exceeded",
        T -> ls(t().file("f", "f", 0644).hardlink("link", "a/".repeat(200) + "f").build()),
        BuildLimits.defaults().withMaxPathDepth(100)));
    // A21
    c.add(reject("A21 long chain of ../", "d/link/escape", "layer 1/1", T -> {
      TarBuilder tb = t();
      String dir = "d";
      tb.dir(dir, 0755);
      tb.symlink(dir + "/" + "l".repeat(254), "../".repeat(40));
      tb.symlink(dir + "/link", "l".repeat(254));
      return ls(tb.file(dir + "/link/escape", "x", 0644).build());
    }));
    c.add(reject("A21 symlink loop", "a/x", "layer 1/1", T -> ls(t().symlink("a", "b").symlink("b", "a").file("a/x", "x", 0644).build())));
    // B1 bombs
    c.add(fails("B1 gzip bomb over the cap", LimitExceededException.class, "uncompressed size",
        T -> ls(zeros()), BuildLimits.defaults().withMaxUncompressedBytes(1 << 20)));
    c.add(fails("B1 zstd bomb over the cap", LimitExceededException.class, "uncompressed size",
        T -> List.of(Layers.of("layer 1/1", zeros(), Layers.Codec.ZSTD)),
        BuildLimits.defaults().withMaxUncompressedBytes(1 << 20)));
    // B2 abusive headers
    c.add(fails("B2 huge PAX header", LimitExceededException.class, "PAX header",
        T -> ls(t().file("f", "x".getBytes(StandardCharsets.UTF_8), 0644, Map.of("comment", "c".repeat(2 << 20))).build()),
        BuildLimits.defaults()));
    c.add(fails("B2 bad checksum", CorruptLayerException.class, "invalid tar header",
        T -> ls(patch(raw(new Object[] {"f", '0', null, "x"}), 0, new byte[] {'g'}, false)), BuildLimits.defaults()));
    c.add(fails("B2 PAX size -1", CorruptLayerException.class, "invalid tar header",
        T -> ls(pax("size", "-1")), BuildLimits.defaults()));
    c.add(confine("B2 global headers ignored, zero padding accepted", T -> {
      byte[] g = raw(new Object[] {"pax_global_header", 'g', null, "17 path=/etc/evil\n"}, new Object[] {"f", '0', null, "x"});
      return ls(Arrays.copyOf(g, g.length + 8192));
    }, (d, b, T) -> must(exists(d.resolve("f")) && !exists(d.resolve("etc/evil")), "global path ignored")));
    // B3 truncation
    c.add(fails("B3 truncated gzip", CorruptLayerException.class, "unexpected EOF", T -> {
      byte[] tar = t().file("big", new byte[100_000], 0644).build();
      byte[] gz = Layers.compress(tar, Layers.Codec.GZIP);
      return List.of(Layers.raw("layer 1/1", Arrays.copyOf(gz, gz.length / 2), Layers.diffId(tar)));
    }, BuildLimits.defaults()));
    c.add(fails("B3 junk after gzip", CorruptLayerException.class, "layer 1/1", T -> {
      byte[] tar = t().file("f", "x", 0644).build();
      byte[] gz = Layers.compress(tar, Layers.Codec.GZIP);
      byte[] junk = Arrays.copyOf(gz, gz.length + 20);
      Arrays.fill(junk, gz.length, junk.length, (byte) 'J');
      return List.of(Layers.raw("layer 1/1", junk, Layers.diffId(tar)));
    }, BuildLimits.defaults()));
    c.add(fails("B3 tar without end-of-archive blocks", CorruptLayerException.class, "unexpected EOF", T -> {
      byte[] tar = t().file("f", "x", 0644).file("g", "y", 0644).build();
      byte[] cut = Arrays.copyOf(tar, 1024); // f's header and data, no end blocks: g is lost
      return List.of(Layers.raw("layer 1/1", cut, Layers.diffId(cut)));
    }, BuildLimits.defaults()));
    // B4 junk blobs
    c.add(fails("B4 text blob", CorruptLayerException.class, "invalid tar header",
        T -> List.of(Layers.raw("layer 1/1", "this is not a tar file\n".repeat(40).getBytes(StandardCharsets.UTF_8),
            Layers.diffId(new byte[0]))), BuildLimits.defaults()));
    c.add(fails("B4 xz blob", CorruptLayerException.class, "xz",
        T -> List.of(Layers.raw("layer 1/1", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 0}, Layers.diffId(new byte[0]))),
        BuildLimits.defaults()));
    // B5 times
    c.add(confine("B5 out-of-range times", T -> ls(pax("mtime", "1e400"),
        t().mtime(253402300799L).file("y9999", "y", 0644).mtime(-62135596800L).file("year1", "y", 0644).build()),
        (d, b, T) -> must(exists(d.resolve("f")) && exists(d.resolve("y9999")), "not aborted over a timestamp")));
    // C1 lower-layer symlinks
    c.add(reject("C1 relative lower-layer escape", "x/authorized_keys", "layer 2/2",
        T -> ls(t().symlink("x", "../../../../victim").build(), t().file("x/authorized_keys", "k", 0644).build())));
    c.add(confine("C1 absolute lower-layer link", T -> ls(t().symlink("x", T.resolve("victim").toString()).build(),
        t().file("x/authorized_keys", "k", 0644).build()),
        (d, b, T) -> must(exists(d.resolve(T.resolve("victim/authorized_keys").toString().substring(1))), "in-root")));
    // C2 invalid whiteouts
    for (String w : List.of(".wh..", ".wh...", "etc/.wh..", "etc/.wh...", ".wh.")) {
      c.add(reject("C2 " + w, w, "layer 2/2", T -> ls(t().dir("etc", 0755).file("etc/passwd", "p", 0644).build(),
          raw(new Object[] {w, '0', null, ""}))));
    }
    // C4 whiteouts of lower directories the layer only had to open up (unprivileged: u+w) to reach
    c.add(confine("C4 whiteouts of read-only lower directories", T -> ls(
        t().dir("d", 0755).dir("d/sub", 0555).file("d/sub/x", "x", 0644).file("d/sub/y", "y", 0644)
            .dir("zero", 0000).file("zero/f", "f", 0644).build(),
        t().file("d/sub/.wh.x", "", 0644).file("d/.wh.sub", "", 0644)
            .hardlink("link", "zero/f").file(".wh.zero", "", 0644).build()),
        (d, b, T) -> {
          must(!exists(d.resolve("d/sub")), "a whiteout inside a 0555 directory does not make it this layer's");
          must(!exists(d.resolve("zero")), "a hard link out of a 0000 directory does not make it this layer's");
          must(Files.readString(d.resolve("link")).equals("f"), "the link keeps the file");
        }));
    // C3 whiteouts through symlinks
    c.add(confine("C3 whiteouts through symlinks", T -> ls(
        t().dir("etc", 0755).file("etc/whitedout", "w", 0644).symlink("localetc", "/etc").symlink("deadetc", "/dne")
            .symlink("victimlink", T.resolve("victim").toString()).symlink("gone", "/etc").build(),
        t().file("localetc/.wh.whitedout", "", 0644).file("deadetc/.wh.etc", "", 0644)
            .file("victimlink/.wh.hello", "", 0644).file(".wh.gone", "", 0644).build()),
        (d, b, T) -> {
          must(!exists(d.resolve("etc/whitedout")), "removed in-root");
          must(!exists(d.resolve("gone")) && exists(d.resolve("etc")), "only the link removed");
          must(!exists(d.resolve("dne")), "dead parent: no-op");
        }));
    c.add(reject("C3 dne/../.wh.etc", "dne/../.wh.etc", "layer 1/1", T -> ls(raw(new Object[] {"dne/../.wh.etc", '0', null, ""}))));
    // C5 layers
    c.add(confine("C5 130 layers, duplicates, empty", T -> {
      List<LayerSource> l = new ArrayList<>();
      byte[] a = t().file("a", "a", 0644).build();
      byte[] w = t().file(".wh.a", "", 0644).build();
      byte[] empty = t().build();
      for (int i = 0; i < 130; i++) {
        l.add(Layers.of("layer " + (i + 1) + "/130", i % 3 == 0 ? a : i % 3 == 1 ? w : empty));
      }
      return l;
    }, (d, b, T) -> must(exists(d.resolve("a")) && b.report.layers().size() == 130
        && b.report.layers().get(127).whiteouts() == 1, "applied in order, duplicates again")));
    c.add(fails("C5 layer limit", LimitExceededException.class, "layers",
        T -> ls(t().build(), t().build(), t().build()), BuildLimits.defaults().withMaxLayers(2)));
    return c;
  }

  /** Runs all cases; prints one line per case; exit status = number of failures. */
  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    int failed = 0;
    for (Case c : all()) {
      String r = execute(c, base);
      System.out.println((r == null ? "PASS " : "FAIL ") + c.id() + (r == null ? "" : ": " + r));
      if (r != null) {
        failed++;
      }
    }
    System.out.println("hostile cases: " + all().size() + " run, " + failed + " failed, as uid "
        + new com.sun.security.auth.module.UnixSystem().getUid());
    System.exit(Math.min(failed, 100));
  }

  /** Runs one case: build, expected outcome, canaries untouched, nothing left behind on failure. */
  public static String execute(Case c, Path base) throws IOException {
    Path t = Files.createTempDirectory(base, "case");
    Canary.plant(t);
    Map<String, String> before = Canary.manifest(t, "dest", "work");
    Path dest = t.resolve("dest");
    Path work = t.resolve("work");
    Build b = new Build();
    Exception thrown = null;
    try {
      b.report = new RootfsBuilder(c.limits()).build(c.layers().apply(t), work, dest, b);
    } catch (Exception e) {
      thrown = e;
    }
    Map<String, String> after = Canary.manifest(t, "dest", "work");
    if (!before.equals(after)) {
      return "INV-1 violated: outside changed: before " + before + " after " + after;
    }
    try {
      if (c.rejects() != null) {
        if (thrown == null) {
          return "expected " + c.rejects().getSimpleName() + " but the build succeeded";
        }
        if (!c.rejects().isInstance(thrown)) {
          return "expected " + c.rejects().getSimpleName() + " but got " + thrown;
        }
        String m = thrown.getMessage();
        if (c.entry() != null && !m.contains(c.entry())) {
          return "message does not name '" + c.entry() + "': " + m;
        }
        if (c.layer() != null && !m.contains(c.layer())) {
          return "message does not name the layer " + c.layer() + ": " + m;
        }
        if (exists(dest)) {
          return "finalDir exists after a rejected build";
        }
        try (Stream<Path> s = exists(work) ? Files.list(work) : Stream.empty()) {
          List<Path> left = s.toList();
          if (!left.isEmpty()) {
            return "partial tree left: " + left;
          }
        }
        return null;
      }
      if (thrown != null) {
        return "expected success but got " + thrown;
      }
      c.confine().check(dest, b, t);
      return null;
    } catch (Throwable e) {
      return String.valueOf(e);
    } finally {
      try {
        org.nsroot.rootfs.RootfsRemover.remove(t);
      } catch (RootfsException e) {
        // reported by the next case's directory listing, if ever
      }
    }
  }
}
