package org.nsroot.runtime.helper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The nsroot-exec helper on disk. It ships inside this jar (built by Maven from
 * runtime/src/main/c), its sha256 compiled in ({@code HelperDigest}); {@link #install} unpacks
 * it, and {@link #verify} is called before each use, so a binary that changed on disk is never run.
 */
public final class HelperBinary {
  /** The helper's file name. */
  public static final String FILE_NAME = "nsroot-exec";

  private static final String RESOURCE = "/org/nsroot/runtime/nsroot-exec";
  /** Readable and executable by its owner only: nobody else needs it, nobody may change it. */
  private static final Set<PosixFilePermission> MODE_0500 = PosixFilePermissions.fromString("r-x------");
  private static final long MAX_SIZE = 16L << 20;

  private final Path path;
  private final String sha256;

  private HelperBinary(Path path, String sha256) {
    this.path = path;
    this.sha256 = sha256;
  }

  /**
   * Unpacks the helper into {@code binDir} (the CLI passes {@code $NSROOT_HOME/bin}) unless a
   * verified copy is already there. The file is written beside its final name, checked, made mode
   * 0500 and renamed into place, so concurrent installs and a crash leave either no file or a
   * complete one. A copy whose hash differs (an older version, or a damaged one) is replaced.
   *
   * @param binDir the directory for the helper; created if missing
   * @return the verified helper
   * @throws HelperException if the jar lacks the helper or the directory cannot be written
   */
  public static HelperBinary install(Path binDir) throws HelperException {
    String expected = expectedSha256();
    Path target = binDir.resolve(FILE_NAME);
    HelperBinary existing = new HelperBinary(target, expected);
    try {
      existing.verify();
      return existing;
    } catch (HelperTamperedException stale) {
      // An older version or a damaged copy: replaced below from the jar, the trusted source.
    }
    Path tmp = null;
    try {
      Files.createDirectories(binDir);
      tmp = Files.createTempFile(binDir, ".nsroot-exec.", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      MessageDigest digest = sha256Digest();
      try (InputStream in = HelperBinary.class.getResourceAsStream(RESOURCE);
           FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
           OutputStream out = Channels.newOutputStream(ch)) {
        if (in == null) {
          throw new HelperException("this nsroot jar has no " + FILE_NAME + " (build it with Maven)");
        }
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
          digest.update(buf, 0, n);
          out.write(buf, 0, n);
        }
        out.flush();
        ch.force(true);
      }
      String got = HexFormat.of().formatHex(digest.digest());
      if (!got.equals(expected)) {
        throw new HelperException("the " + FILE_NAME + " inside the nsroot jar does not match its sha256 "
            + "(the jar is damaged)");
      }
      Files.setPosixFilePermissions(tmp, MODE_0500);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException e) {
      throw new HelperException("cannot install " + FILE_NAME + " in " + binDir + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // tmp files are named .nsroot-exec.*.tmp; a later install does not trip over one
        }
      }
    }
    HelperBinary installed = new HelperBinary(target, expected);
    installed.verify();
    return installed;
  }

  /**
   * Uses a helper installed elsewhere (for instance root-owned, by an administrator, with mode
   * 0555). It must be the very binary this jar ships.
   *
   * @param file the helper binary
   * @return the verified helper
   * @throws HelperException if it is missing, or not this jar's helper
   */
  public static HelperBinary at(Path file) throws HelperException {
    HelperBinary h = new HelperBinary(file.toAbsolutePath(), expectedSha256());
    h.verify();
    return h;
  }

  /**
   * The sha256 of the helper in this jar, as the build recorded it.
   *
   * @return lowercase hex
   */
  public static String expectedSha256() {
    return HelperDigest.SHA256;
  }

  /** The helper's absolute path. */
  public Path path() {
    return path;
  }

  /** The sha256 it must have. */
  public String sha256() {
    return sha256;
  }

  /**
   * Checks, before a use, that the file is still the helper: a regular file (not a symlink),
   * owned by the current user or root, writable by nobody else, in a directory nobody else can
   * write to, with the expected sha256.
   *
   * <p>Hashing a megabyte in a cold JVM costs tens of milliseconds, most of a CLI run's budget, so
   * the hash is computed when the file's stamp (device, inode, size, mtime and ctime, with the
   * expected sha256) differs from the one recorded after the last full check, in memory and in
   * {@code .nsroot-exec.verified} beside the file. Any write, chmod, rename or replacement of the
   * file changes its ctime or inode, which no user can set back, so a changed file is always
   * hashed again. Forging the record needs write access to the directory, which the checks above
   * limit to the user and root. {@link #verifyHash()} always hashes.
   *
   * @throws HelperTamperedException naming what differs; the helper must not be run then
   */
  public void verify() throws HelperTamperedException {
    String stamp = checkFileAndStamp();
    if (stamp.equals(VERIFIED.get(path)) || stamp.equals(readRecord())) {
      VERIFIED.put(path, stamp);
      return;
    }
    checkHash();
    // Recorded only if nothing changed while hashing.
    if (stamp.equals(checkFileAndStamp())) {
      VERIFIED.put(path, stamp);
      writeRecord(stamp);
    }
  }

  /**
   * As {@link #verify()}, but always hashes the file.
   *
   * @throws HelperTamperedException naming what differs
   */
  public void verifyHash() throws HelperTamperedException {
    checkFileAndStamp();
    checkHash();
  }

  private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();

  private Path recordFile() {
    return path.resolveSibling("." + path.getFileName() + ".verified");
  }

  private String readRecord() {
    try {
      Path r = recordFile();
      if (!Files.isRegularFile(r, LinkOption.NOFOLLOW_LINKS) || Files.size(r) > 512) {
        return null;
      }
      return Files.readString(r, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return null;
    }
  }

  /** Best effort: an administrator's read-only install just gets hashed on every first use. */
  private void writeRecord(String stamp) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile(path.getParent(), ".nsroot-exec.", ".tmp");
      Files.writeString(tmp, stamp + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, recordFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (IOException | UnsupportedOperationException e) {
      // not writable: no record
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // nothing more to do
        }
      }
    }
  }

  /** Owner and mode checks of the file and its directory; returns the file's stamp. */
  private String checkFileAndStamp() throws HelperTamperedException {
    try {
      int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      var a = checkOwnerAndMode(path, self, "");
      checkOwnerAndMode(path.getParent(), self, "directory of ");
      return sha256 + " " + a.get("dev") + " " + a.get("ino") + " " + a.get("size") + " "
          + ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS)
          + " " + ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
    } catch (NoSuchFileException e) {
      throw new HelperTamperedException(FILE_NAME + " is missing: " + path);
    } catch (IOException e) {
      throw new HelperTamperedException("cannot check " + path + ": " + e.getMessage());
    }
  }

  private void checkHash() throws HelperTamperedException {
    try {
      MessageDigest digest = sha256Digest();
      // NOFOLLOW: the check and the later exec both see the file itself, not a link's target.
      try (SeekableByteChannel ch = Files.newByteChannel(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        if (ch.size() > MAX_SIZE) {
          throw new HelperTamperedException(path + " is too large to be " + FILE_NAME);
        }
        ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
        while (ch.read(buf) > 0) {
          buf.flip();
          digest.update(buf);
          buf.clear();
        }
      }
      String got = HexFormat.of().formatHex(digest.digest());
      if (!got.equals(sha256)) {
        throw new HelperTamperedException(path + " is not the " + FILE_NAME + " of this nsroot (sha256 "
            + got.substring(0, 12) + "…, expected " + sha256.substring(0, 12) + "…); refusing to run it");
      }
    } catch (NoSuchFileException e) {
      throw new HelperTamperedException(FILE_NAME + " is missing: " + path);
    } catch (IOException e) {
      throw new HelperTamperedException("cannot check " + path + ": " + e.getMessage());
    }
  }

  private static Map<String, Object> checkOwnerAndMode(Path p, int self, String what)
      throws IOException, HelperTamperedException {
    var attrs = Files.readAttributes(p, "unix:uid,mode,dev,ino,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
    int uid = (Integer) attrs.get("uid");
    int mode = (Integer) attrs.get("mode");
    boolean dir = what.startsWith("directory");
    int type = mode & 0170000;
    if (dir ? type != 0040000 : type != 0100000) {
      throw new HelperTamperedException(what + p + " is not a " + (dir ? "directory" : "regular file"));
    }
    if (uid != self && uid != 0) {
      throw new HelperTamperedException(what + p + " belongs to uid " + uid + ", not to you or root");
    }
    // Group- or world-writable (without the sticky bit, for a directory) lets others swap it.
    boolean othersWrite = (mode & 0022) != 0 && !(dir && (mode & 01000) != 0);
    if (othersWrite || (!dir && (mode & 06000) != 0)) {
      throw new HelperTamperedException(what + p + " has mode " + Integer.toOctalString(mode & 07777)
          + "; others could replace it");
    }
    return attrs;
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
