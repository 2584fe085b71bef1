package org.nsroot.runtime.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Reads small files of an image from the host side without ever leaving the image (E1, E2): the
 * path is walked one component at a time without following symlinks; a symlink's target is walked
 * again inside the rootfs (an absolute target starts at the rootfs, ".." stops there). Only a
 * regular file under the size cap is read, opened with O_NOFOLLOW; a FIFO, a device or
 * {@code /etc/passwd -> /dev/zero} is refused instead of blocking or reading forever.
 */
public final class InRootFiles {
  private static final int MAX_LINKS = 40;

  private InRootFiles() {}

  /**
   * Reads {@code inRootPath} of the image at {@code rootfs}.
   *
   * @param rootfs the image's root directory
   * @param inRootPath a path inside the image, such as {@code /etc/passwd}
   * @param maxBytes the size cap
   * @return the contents, or empty if the file does not exist (or a component is missing)
   * @throws ImageConfigException if the file is not a regular file, is too large, or its path loops
   */
  public static Optional<byte[]> read(Path rootfs, String inRootPath, int maxBytes) throws ImageConfigException {
    Optional<Path> file = resolve(rootfs, inRootPath);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Path p = file.get();
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        throw new ImageConfigException("the image's " + inRootPath + " is not a regular file; not reading it");
      }
      if (a.size() > maxBytes) {
        throw new ImageConfigException("the image's " + inRootPath + " is larger than " + maxBytes + " bytes");
      }
      try (InputStream in = Channels.newInputStream(
          Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
        byte[] data = in.readNBytes(maxBytes + 1);
        if (data.length > maxBytes) {
          throw new ImageConfigException("the image's " + inRootPath + " is larger than " + maxBytes + " bytes");
        }
        return Optional.of(data);
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ImageConfigException("cannot read the image's " + inRootPath + ": " + e.getMessage());
    }
  }

  /**
   * Resolves {@code inRootPath} inside {@code rootfs} to a host path with no symlink in it.
   *
   * @return the host path, or empty if some component does not exist
   * @throws ImageConfigException on a symlink loop or a non-directory in the middle
   */
  static Optional<Path> resolve(Path rootfs, String inRootPath) throws ImageConfigException {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, inRootPath);
    Deque<String> done = new ArrayDeque<>();
    int links = 0;
    try {
      while (!todo.isEmpty()) {
        String name = todo.pop();
        if (name.isEmpty() || name.equals(".")) {
          continue;
        }
        if (name.equals("..")) {
          done.pollLast();
          continue;
        }
        Path current = rootfs;
        for (String d : done) {
          current = current.resolve(d);
        }
        Path next = current.resolve(name);
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          return Optional.empty();
        }
        if (a.isSymbolicLink()) {
          if (++links > MAX_LINKS) {
            throw new ImageConfigException("too many symbolic links in the image's " + inRootPath);
          }
          String target = Files.readSymbolicLink(next).toString();
          if (target.startsWith("/")) {
            done.clear();
          }
          push(todo, target);
          continue;
        }
        if (!todo.isEmpty() && !a.isDirectory()) {
          return Optional.empty();
        }
        done.addLast(name);
      }
    } catch (IOException e) {
      throw new ImageConfigException("cannot resolve the image's " + inRootPath + ": " + e.getMessage());
    }
    Path p = rootfs;
    for (String d : done) {
      p = p.resolve(d);
    }
    return Optional.of(p);
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }
}
