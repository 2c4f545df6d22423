package dev.finops.core.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Forcing directories and replacing files atomically, as Lucene's {@code IOUtils.fsync} does. */
final class Fsync {

  private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

  private Fsync() {}

  /**
   * Forces a directory's entries (a created or renamed file), so the name survives a power loss. File
   * systems and platforms that cannot force a directory are skipped silently (Windows, some others).
   */
  static void directory(Path dir) {
    if (dir == null || WINDOWS) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not all file systems allow forcing a directory
    }
  }

  /** Writes {@code content} to {@code target} atomically: temporary file, force, rename, directory force. */
  static void writeAtomically(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      FrameFormat.writeFully(ch, java.nio.ByteBuffer.wrap(content), 0);
      ch.force(true);
    }
    atomicMove(tmp, target);
  }

  /** Renames {@code from} over {@code to} atomically, then forces the directory. */
  static void atomicMove(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    directory(to.getParent());
  }
}
