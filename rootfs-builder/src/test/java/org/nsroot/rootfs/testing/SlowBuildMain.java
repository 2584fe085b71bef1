package org.nsroot.rootfs.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nsroot.rootfs.BuildListener;
import org.nsroot.rootfs.LayerSource;
import org.nsroot.rootfs.RootfsBuilder;

/** A build of 5 layers whose third stream stalls halfway, announcing it on stdout (for kill -9). */
public final class SlowBuildMain {
  private SlowBuildMain() {}

  public static void main(String[] args) throws Exception {
    List<LayerSource> layers = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      TarBuilder t = TarBuilder.posix();
      for (int f = 0; f < 100; f++) {
        t.file("l" + i + "/f" + f, "x".repeat(4000), 0644);
      }
      byte[] tar = t.build();
      byte[] gz = Layers.compress(tar, Layers.Codec.GZIP);
      boolean stall = i == 3;
      layers.add(new LayerSource("layer " + i + "/5", Layers.diffId(tar), () -> stall ? new Stalling(gz) : new ByteArrayInputStream(gz)));
    }
    new RootfsBuilder().build(layers, Path.of(args[0]), Path.of(args[1]), BuildListener.NONE);
  }

  private static final class Stalling extends InputStream {
    private final ByteArrayInputStream in;
    private int left;

    Stalling(byte[] b) {
      in = new ByteArrayInputStream(b);
      left = b.length / 2;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) throws java.io.IOException {
      if (left <= 0) {
        System.out.println("STALLED IN LAYER 3");
        System.out.flush();
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
      }
      int n = in.read(b, off, Math.min(len, left));
      left -= n;
      return n;
    }
  }
}
