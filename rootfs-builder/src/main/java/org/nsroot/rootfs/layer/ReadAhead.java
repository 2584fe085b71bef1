package org.nsroot.rootfs.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream on its own thread into a small bounded queue of chunks, so that decompressing
 * and hashing a layer (about two thirds of the CPU time) overlaps with writing its files. Memory
 * is bounded by the queue (16 chunks of 256 KiB), never by the layer. Failures of the source are
 * rethrown to the reader, in order, after the data that preceded them.
 */
public final class ReadAhead extends InputStream {
  private static final int CHUNK = 256 * 1024;
  private static final Object EOF = new Object();

  private record Chunk(byte[] data, int length) {}

  private final ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(16);
  private final Thread thread;
  private volatile boolean closed;
  private byte[] current;
  private int pos;
  private int limit;
  private boolean eof;

  public ReadAhead(InputStream source, String name) {
    thread = new Thread(() -> pump(source), "nsroot-readahead " + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void pump(InputStream source) {
    try {
      while (!closed) {
        byte[] b = new byte[CHUNK];
        int n = 0;
        while (n < CHUNK) {
          int r = source.read(b, n, CHUNK - n);
          if (r < 0) {
            break;
          }
          n += r;
        }
        if (n > 0) {
          put(new Chunk(b, n));
        }
        if (n < CHUNK) {
          put(EOF);
          return;
        }
      }
    } catch (Throwable t) {
      put(t);
    }
  }

  private void put(Object o) {
    try {
      while (!closed) {
        if (queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pos >= limit) {
      if (eof) {
        return -1;
      }
      Object o;
      try {
        o = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading a layer");
      }
      if (o == EOF) {
        eof = true;
        return -1;
      }
      if (o instanceof IOException e) {
        eof = true;
        throw e;
      }
      if (o instanceof RuntimeException e) {
        eof = true;
        throw e;
      }
      if (o instanceof Error e) {
        eof = true;
        throw e;
      }
      Chunk c = (Chunk) o;
      current = c.data();
      pos = 0;
      limit = c.length();
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  /** Stops the reading thread (it may still finish a read of the source in progress). */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    queue.clear();
  }

  /** Waits for the reading thread to end; call after {@link #close()} before closing the source. */
  public void awaitStop(long millis) {
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
