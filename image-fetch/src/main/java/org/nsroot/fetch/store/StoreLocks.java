package org.nsroot.fetch.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Named locks that hold across threads and processes (catalogue H1).
 *
 * <p>File locks alone are not enough: they belong to the process, so a second lock of the same
 * file from another thread of this JVM throws, and closing any channel of the file drops them.
 * So each name has one read-write lock for the threads of this JVM, and one channel whose file
 * lock is taken by the first holder and released by the last. Locks of a killed process vanish
 * with it: there is never a stale lock to clean.
 */
public final class StoreLocks {
  /** One entry per lock file for the whole JVM: two Store objects on one directory share them. */
  private static final ConcurrentHashMap<Path, Entry> ENTRIES = new ConcurrentHashMap<>();

  private final Path dir;

  StoreLocks(Path dir) {
    this.dir = dir;
  }

  /** A held lock; close it to release. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Waits for an exclusive lock on {@code name}. */
  public Held exclusive(String name) throws StoreException {
    return lock(name, false, true).orElseThrow();
  }

  /** Waits for a shared lock on {@code name}. */
  public Held shared(String name) throws StoreException {
    return lock(name, true, true).orElseThrow();
  }

  /** Takes an exclusive lock on {@code name} only if nobody holds it; empty otherwise. */
  public Optional<Held> tryExclusive(String name) throws StoreException {
    return lock(name, false, false);
  }

  /** The file behind lock {@code name}. */
  Path file(String name) {
    return dir.resolve(name + ".lock");
  }

  private Optional<Held> lock(String name, boolean shared, boolean wait) throws StoreException {
    Path file = file(name).toAbsolutePath().normalize();
    Entry e = ENTRIES.computeIfAbsent(file, f -> new Entry());
    Lock jvmLock = shared ? e.rw.readLock() : e.rw.writeLock();
    if (wait) {
      jvmLock.lock();
    } else if (!jvmLock.tryLock()) {
      return Optional.empty();
    }
    try {
      synchronized (e) {
        if (e.holders == 0) { // the first holder in this JVM takes the file lock for all
          FileChannel ch = FileChannel.open(file,
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
              Durable.PRIVATE_FILE);
          FileLock fl;
          try {
            fl = wait ? ch.lock(0, Long.MAX_VALUE, shared) : ch.tryLock(0, Long.MAX_VALUE, shared);
          } catch (IOException | RuntimeException ex) {
            ch.close();
            throw ex;
          }
          if (fl == null) {
            ch.close();
            jvmLock.unlock();
            return Optional.empty();
          }
          e.channel = ch;
          e.fileLock = fl;
        }
        e.holders++;
      }
    } catch (IOException ex) {
      jvmLock.unlock();
      throw new StoreException("cannot lock " + file + ": " + ex.getMessage(), ex);
    } catch (RuntimeException ex) {
      jvmLock.unlock();
      throw ex;
    }
    return Optional.of(() -> release(e, jvmLock));
  }

  private static void release(Entry e, Lock jvmLock) {
    try {
      synchronized (e) {
        if (--e.holders == 0) {
          try {
            e.fileLock.release();
            e.channel.close();
          } catch (IOException ignored) {
            // Closing the channel releases the lock in any case.
          }
          e.fileLock = null;
          e.channel = null;
        }
      }
    } finally {
      jvmLock.unlock();
    }
  }

  private static final class Entry {
    final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    FileChannel channel;
    FileLock fileLock;
    int holders;
  }
}
