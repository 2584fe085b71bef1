package org.nsroot.rootfs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nsroot.rootfs.BuildListener;
import org.nsroot.rootfs.RootfsBuilder;
import org.nsroot.rootfs.RootfsRemover;
import org.nsroot.rootfs.testing.OciLayout;
import org.nsroot.rootfs.testing.TarBuilder;

/**
 * Flattens a generated image (5 gzip layers, ~20k files, ~300 MB uncompressed) with RootfsBuilder
 * and with {@code umoci unpack --rootless} from the same OCI layout, alternating, and prints the
 * medians and the ratio. Both read the same gzip blobs from the page cache.
 *
 * <pre>
 * cd /work/main && mvn -B -q -pl rootfs-builder test-compile exec:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=org.nsroot.rootfs.bench.FlattenBenchmark [-Dexec.args="DIR RUNS"]
 * </pre>
 */
public final class FlattenBenchmark {
  private FlattenBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("nsroot-bench");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    boolean peer = args.length <= 2 || !args[2].equals("nsroot-only");
    Random rnd = new Random(42);
    List<byte[]> tars = new ArrayList<>();
    long bytes = 0;
    int files = 0;
    for (int layer = 0; layer < 5; layer++) {
      TarBuilder t = TarBuilder.posix();
      for (int d = 0; d < 40; d++) {
        t.dir("l" + layer + "/d" + d, 0755);
        for (int f = 0; f < 100; f++) {
          boolean big = f == 0 && d % 2 == 0;
          byte[] content = new byte[big ? 3_000_000 : 1_000 + rnd.nextInt(8_000)];
          // half random (incompressible), half text-like: roughly what binaries and configs give
          for (int i = 0; i < content.length; i++) {
            content[i] = i % 2 == 0 ? (byte) rnd.nextInt(256) : (byte) ('a' + i % 26);
          }
          t.file("l" + layer + "/d" + d + "/f" + f, content, 0644);
          bytes += content.length;
          files++;
        }
      }
      tars.add(t.build());
    }
    List<org.nsroot.rootfs.LayerSource> sources = new ArrayList<>();
    for (int i = 0; i < tars.size(); i++) {
      // compressed once, outside the timed region: umoci reads ready blobs too
      sources.add(org.nsroot.rootfs.testing.Layers.raw("layer " + (i + 1) + "/" + tars.size(),
          org.nsroot.rootfs.testing.Layers.compress(tars.get(i), org.nsroot.rootfs.testing.Layers.Codec.GZIP),
          org.nsroot.rootfs.testing.Layers.diffId(tars.get(i))));
    }
    Path layout = dir.resolve("layout");
    OciLayout.write(layout, "bench", tars);
    System.out.printf("image: %d layers, %d files, %.1f MB uncompressed%n", tars.size(), files, bytes / 1e6);
    long[] ours = new long[runs];
    long[] umoci = new long[runs];
    for (int r = 0; r < runs; r++) {
      Path dest = dir.resolve("dest");
      sync(); // each run starts without the previous run's dirty pages
      long t0 = System.nanoTime();
      new RootfsBuilder().build(sources, dir.resolve("work"), dest, BuildListener.NONE);
      ours[r] = System.nanoTime() - t0;
      RootfsRemover.remove(dest);
      if (!peer) {
        System.out.printf("run %d: nsroot %.2f s%n", r + 1, ours[r] / 1e9);
        continue;
      }
      Path bundle = dir.resolve("bundle");
      sync();
      t0 = System.nanoTime();
      Process p = new ProcessBuilder("umoci", "unpack", "--rootless", "--image", layout + ":bench", bundle.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("umoci failed");
      }
      umoci[r] = System.nanoTime() - t0;
      RootfsRemover.remove(bundle);
      System.out.printf("run %d: nsroot %.2f s, umoci %.2f s%n", r + 1, ours[r] / 1e9, umoci[r] / 1e9);
    }
    double a = median(ours) / 1e9;
    if (!peer) {
      System.out.printf("median: nsroot %.2f s%n", a);
      RootfsRemover.remove(dir);
      return;
    }
    double b = median(umoci) / 1e9;
    System.out.printf("median: nsroot %.2f s, umoci unpack --rootless %.2f s, ratio nsroot/umoci %.2f%n", a, b, a / b);
    RootfsRemover.remove(dir);
  }

  private static void sync() throws Exception {
    new ProcessBuilder("sync").start().waitFor();
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
