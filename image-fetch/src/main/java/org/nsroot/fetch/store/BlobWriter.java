package org.nsroot.fetch.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Set;
import org.nsroot.fetch.digest.ContentMismatchException;
import org.nsroot.fetch.digest.Digest;

/**
 * Receives one blob into {@code tmp/}, hashing as it goes, and moves it into {@code blobs/} only
 * when its size and digest are right (catalogue D1, H2).
 *
 * <p>The partial file has a fixed name so that a pull killed midway resumes from it: its bytes are
 * hashed again on open, and the final digest check still covers everything. The file only ever
 * grows, which is what lets {@link #follow()} readers stream a layer while it downloads. Callers
 * hold the blob's lock for the writer's life.
 */
public final class BlobWriter implements BlobSink, AutoCloseable {
  private enum State { OPEN, COMMITTED, FAILED }

  private final Digest digest;
  private final long expectedSize;
  private final Path partial;
  private final Path target;
  private final FileChannel channel;
  private final MessageDigest hasher;
  private long written;
  private State state = State.OPEN;
  private IOException failure;

  BlobWriter(Digest digest, long expectedSize, Path partial, Path target, boolean resume) throws IOException {
    this.digest = digest;
    this.expectedSize = expectedSize;
    this.partial = partial;
    this.target = target;
    this.hasher = digest.newHasher();
    this.channel =
        FileChannel.open(
            partial,
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
            Durable.PRIVATE_FILE);
    long have = channel.size();
    if (have > expectedSize || !resume) {
      channel.truncate(0);
      have = 0;
    }
    rehashPrefix(have);
  }

  private void rehashPrefix(long have) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    long pos = 0;
    while (pos < have) {
      buf.clear().limit((int) Math.min(buf.capacity(), have - pos));
      int n = channel.read(buf, pos);
      if (n < 0) {
        break;
      }
      hasher.update(buf.array(), 0, n);
      pos += n;
    }
    written = pos;
    channel.position(pos);
  }

  @Override
  public synchronized long offset() {
    return written;
  }

  @Override
  public void write(byte[] bytes, int off, int len) throws IOException {
    if (written + len > expectedSize) {
      throw new SizeExceededException(
          "blob " + digest + " is larger than the " + expectedSize + " bytes its manifest declares");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes, off, len);
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    hasher.update(bytes, off, len);
    synchronized (this) {
      written += len;
      notifyAll();
    }
  }

  /**
   * Verifies and moves the blob into the store.
   *
   * @param source names where the bytes came from, for the error message
   * @throws ContentMismatchException when size or digest are wrong; the partial file is gone
   */
  public void commit(String source) throws ContentMismatchException, IOException {
    try {
      if (written != expectedSize) {
        throw new ContentMismatchException(
            "size mismatch for " + digest + " from " + source + ": got " + written + " bytes, expected " + expectedSize);
      }
      if (!digest.matches(hasher.digest())) {
        throw new ContentMismatchException(
            "digest mismatch for " + digest + " from " + source + ": the bytes received hash to something else");
      }
      channel.force(true);
      channel.close();
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("r--------"));
      Durable.moveIntoPlace(partial, target);
      finish(State.COMMITTED, null);
    } catch (ContentMismatchException e) {
      discard(new IOException(e.getMessage(), e));
      throw e;
    } catch (IOException e) {
      discard(e);
      throw e;
    }
  }

  /** Throws the partial bytes away, failing any follower with {@code cause}. */
  public void discard(IOException cause) {
    try {
      channel.close();
      Files.deleteIfExists(partial);
    } catch (IOException ignored) {
      // tmp/ may be cleaned at any time; a leftover there is harmless.
    }
    finish(State.FAILED, cause);
  }

  /** Keeps the partial bytes for a later resume, failing any follower with {@code cause}. */
  public void suspend(IOException cause) {
    try {
      channel.force(false);
      channel.close();
    } catch (IOException ignored) {
      // Nothing more can be done; the next pull re-hashes whatever is there.
    }
    finish(State.FAILED, cause);
  }

  private synchronized void finish(State s, IOException cause) {
    if (state == State.OPEN) {
      state = s;
      failure = cause;
      notifyAll();
    }
  }

  @Override
  public void close() {
    if (state == State.OPEN) {
      suspend(new IOException("download of " + digest + " stopped"));
    }
  }

  /**
   * A stream of the blob's bytes as they arrive. It blocks while the download is behind, ends when
   * the blob is committed, and throws if the download fails or does not verify, so a consumer
   * never mistakes a partial blob for a whole one.
   */
  public InputStream follow() throws IOException {
    FileChannel reader;
    try {
      reader = FileChannel.open(partial, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      reader = FileChannel.open(target, StandardOpenOption.READ); // committed meanwhile
    }
    return new Follower(reader);
  }

  private final class Follower extends InputStream {
    private final FileChannel reader;
    private long position;

    Follower(FileChannel reader) {
      this.reader = reader;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      long available = awaitBytesBeyond(position);
      if (available <= position) {
        return -1;
      }
      int want = (int) Math.min(len, available - position);
      int n = reader.read(ByteBuffer.wrap(b, off, want), position);
      if (n < 0) {
        throw new IOException("blob " + digest + " ended early while streaming");
      }
      position += n;
      return n;
    }

    /** Returns the number of readable bytes, waiting until it exceeds {@code pos} or the end. */
    private long awaitBytesBeyond(long pos) throws IOException {
      synchronized (BlobWriter.this) {
        while (written <= pos && state == State.OPEN) {
          try {
            BlobWriter.this.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while streaming " + digest);
          }
        }
        if (state == State.FAILED) {
          throw new IOException(
              failure != null ? failure.getMessage() : "download of " + digest + " failed", failure);
        }
        return written;
      }
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /** More bytes than the descriptor allows: the stream is cut at once (D1). */
  public static final class SizeExceededException extends IOException {
    SizeExceededException(String message) {
      super(message);
    }
  }
}
