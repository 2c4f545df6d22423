package dev.finops.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of framed records (type, sequence number, CRC-32C; format and recovery rule in
 * the {@link dev.finops.core.journal package documentation}). Opening a journal recovers it: a torn
 * tail is truncated, corruption in the middle is quarantined and reported, and each valid record is
 * handed to the caller in order. {@link #append} writes a record before it returns and forces it
 * per the {@link DurabilityMode}; after an I/O error the journal refuses further records ({@link
 * JournalFailedException}). One process writes a journal at a time: opening takes an exclusive lock
 * on {@code <file>.lock}, which the operating system releases when the process dies.
 *
 * <pre>{@code
 * try (Journal j = Journal.open(dir.resolve("events.log"), Journal.options().build(), frame -> replay(frame))) {
 *   long seq = j.append(1, payload);   // written and forced (SYNC_EACH) before it returns
 * }
 * }</pre>
 *
 * <p>Thread-safe: appends are serialized.
 */
public final class Journal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  /** The default group-commit interval. */
  public static final Duration DEFAULT_GROUP_COMMIT = Duration.ofMillis(10);

  /** The largest payload of one record: 1 MiB. */
  public static final int MAX_PAYLOAD = FrameFormat.MAX_PAYLOAD;

  /** A valid record read back from a journal. */
  public record Frame(long seq, int type, byte[] payload) {}

  /** Opens a file channel; a seam for tests that inject I/O errors. */
  interface ChannelOpener {
    FileChannel open(Path path, OpenOption... options) throws IOException;
  }

  /** How a journal is opened. Immutable. */
  public static final class Options {
    final DurabilityMode durability;
    final Duration groupCommit;
    final Path mirror;
    final long afterSeq;
    final ChannelOpener opener;

    private Options(Builder b) {
      this.durability = b.durability;
      this.groupCommit = b.groupCommit;
      this.mirror = b.mirror;
      this.afterSeq = b.afterSeq;
      this.opener = b.opener;
    }

    public DurabilityMode durability() {
      return durability;
    }

    public Duration groupCommitInterval() {
      return groupCommit;
    }

    /** The mirror file, or {@code null}. */
    public Path mirror() {
      return mirror;
    }

    Builder toBuilder() {
      Builder b = new Builder();
      b.durability = durability;
      b.groupCommit = groupCommit;
      b.mirror = mirror;
      b.afterSeq = afterSeq;
      b.opener = opener;
      return b;
    }

    /** Configures {@link Options}. */
    public static final class Builder {
      private DurabilityMode durability = DurabilityMode.SYNC_EACH;
      private Duration groupCommit = DEFAULT_GROUP_COMMIT;
      private Path mirror;
      private long afterSeq;
      private ChannelOpener opener = FileChannel::open;

      private Builder() {}

      /** When records are forced (default {@link DurabilityMode#SYNC_EACH}). */
      public Builder durability(DurabilityMode mode) {
        this.durability = Objects.requireNonNull(mode, "durability");
        return this;
      }

      /**
       * Under {@link DurabilityMode#GROUP_COMMIT}, the longest the writer about to force waits for
       * appends already under way on other threads to join its force (default 10 ms); it does not wait
       * for appends that start later, nor at all when no other append is under way.
       */
      public Builder groupCommitInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
          throw new IllegalArgumentException("group commit interval must be positive: " + interval);
        }
        this.groupCommit = interval;
        return this;
      }

      /**
       * A copy of the journal kept in step with it, typically on a shared volume (see the package
       * documentation for what is guaranteed); {@code null} for none.
       */
      public Builder mirror(Path mirrorFile) {
        this.mirror = mirrorFile;
        return this;
      }

      /** Sequence numbers start above this (a checkpoint already covers the records up to it). */
      Builder afterSeq(long seq) {
        this.afterSeq = seq;
        return this;
      }

      Builder opener(ChannelOpener opener) {
        this.opener = opener;
        return this;
      }

      public Options build() {
        return new Options(this);
      }
    }
  }

  /** A file's channel and what its scan found; for the journal and its mirror. */
  private static final class Opened {
    FileChannel channel;
    FrameScan scan;
    final List<RecoveryReport.Quarantined> quarantined = new ArrayList<>();
  }

  private final Path file;
  private final Options options;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final RecoveryReport recovery;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buffer = ByteBuffer.allocate(4096);
  private FileChannel channel;
  private long position;
  private long lastSeq;
  private long forcedSeq; // the last record known to be on the device
  private boolean forcing; // a group-commit force is running outside the lock
  private boolean lingering; // its writer waits for appends under way to join it
  private boolean closing;
  private final AtomicLong entered = new AtomicLong(); // group commit: appends begun
  private long settled; // group commit: appends written (or refused), under the lock
  private boolean closed;
  private volatile Throwable failure;
  private FileChannel mirror;
  private long mirrorPosition;
  private volatile String mirrorError;

  private Journal(Path file, Options options, FileChannel lockChannel, FileLock lock, Opened local, Opened mirrored,
      RecoveryReport recovery, String mirrorError) {
    this.file = file;
    this.options = options;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.channel = local.channel;
    this.position = local.scan.end;
    this.lastSeq = Math.max(local.scan.lastSeq, options.afterSeq);
    this.forcedSeq = lastSeq;
    this.mirror = mirrored == null ? null : mirrored.channel;
    this.mirrorPosition = mirrored == null ? 0 : mirrored.scan.end;
    this.mirrorError = mirrorError;
    this.recovery = recovery;
  }

  /** Options with the defaults: {@link DurabilityMode#SYNC_EACH}, no mirror. */
  public static Options.Builder options() {
    return new Options.Builder();
  }

  /** Opens (creating if needed) a journal with the default options, discarding the recovered records. */
  public static Journal open(Path file) {
    return open(file, options().build(), f -> { });
  }

  /**
   * Opens a journal for appending, creating it if needed, and recovers it: {@code recovered}
   * receives every valid record in order (those brought over from the mirror last).
   *
   * @throws JournalException if the journal is locked by another process, is not a finops journal,
   *     or cannot be read or repaired
   */
  public static Journal open(Path file, Options options, Consumer<Frame> recovered) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(recovered, "recovered");
    Path abs = file.toAbsolutePath();
    FileChannel lockChannel = null;
    FileLock lock = null;
    Opened local = null;
    Opened mirrored = null;
    try {
      Path dir = abs.getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Fsync.directory(dir.getParent());
      }
      lockChannel = FileChannel.open(dir.resolve(abs.getFileName() + ".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new JournalException("journal " + abs + " is in use by another writer (locked: " + abs + ".lock)");
      }
      String mirrorError = null;
      FrameScan mirrorScan = null;
      if (options.mirror != null) {
        try {
          mirrored = openForAppend(options.mirror.toAbsolutePath(), options.opener, null);
          mirrorScan = mirrored.scan;
        } catch (IOException | JournalException e) {
          mirrorError = "mirror " + options.mirror + " unavailable: " + e;
          log.warn("finops: journal {}: {}; carrying on without the mirror", abs, mirrorError);
          closeQuietly(mirrored == null ? null : mirrored.channel);
          mirrored = null;
        }
      }
      local = openForAppend(abs, options.opener, f -> recovered.accept(new Frame(f.seq(), f.type(), f.payload())));
      long fromMirror = 0;
      long toMirror = 0;
      if (mirrored != null) {
        try {
          if (mirrorScan.lastSeq > local.scan.lastSeq) {
            long[] result = copy(mirrored.channel, local.scan.lastSeq, local.channel, local.scan.end, recovered);
            fromMirror = result[0];
            local.scan.end = result[1];
            local.scan.lastSeq = mirrorScan.lastSeq;
            local.channel.force(false);
          } else if (local.scan.lastSeq > mirrorScan.lastSeq) {
            long[] result = copy(local.channel, mirrorScan.lastSeq, mirrored.channel, mirrorScan.end, null);
            toMirror = result[0];
            mirrorScan.end = result[1];
            mirrored.channel.force(false);
          }
        } catch (IOException e) {
          mirrorError = "mirror " + options.mirror + " could not be brought in step: " + e;
          log.warn("finops: journal {}: {}; carrying on without the mirror", abs, mirrorError);
          closeQuietly(mirrored.channel);
          mirrored = null;
        }
      }
      List<RecoveryReport.Quarantined> quarantined = new ArrayList<>(local.quarantined);
      RecoveryReport report = new RecoveryReport(abs, local.scan.records + fromMirror,
          Math.max(local.scan.lastSeq, 0), local.scan.tailOffset, local.scan.tailBytes, quarantined, local.scan.gaps,
          fromMirror, toMirror, false);
      if (!report.findings().isEmpty()) {
        log.warn("finops: journal recovered: {}", report);
      }
      return new Journal(abs, options, lockChannel, lock, local, mirrored, report, mirrorError);
    } catch (IOException e) {
      release(lockChannel, local, mirrored);
      throw JournalException.of("journal " + abs, e);
    } catch (RuntimeException e) {
      release(lockChannel, local, mirrored);
      throw e;
    }
  }

  /**
   * Reads a journal without changing it (no truncation, no quarantine, no lock), handing every valid
   * record to {@code visitor}. Safe while another process appends: an incomplete last record is
   * reported as an incomplete tail.
   *
   * @throws JournalException if the file is missing, unreadable or not a finops journal
   */
  public static RecoveryReport read(Path file, Consumer<Frame> visitor) {
    Path abs = file.toAbsolutePath();
    try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < FrameFormat.FILE_HEADER_SIZE) {
        checkHeaderPrefix(ch, abs, size);
        return new RecoveryReport(abs, 0, 0, -1, 0, List.of(), List.of(), 0, 0, true);
      }
      checkHeader(ch, abs);
      FrameScan s = FrameScan.run(ch, size, f -> visitor.accept(new Frame(f.seq(), f.type(), f.payload())));
      List<RecoveryReport.Quarantined> q = new ArrayList<>();
      for (FrameScan.Bad b : s.bad) {
        q.add(new RecoveryReport.Quarantined(b.offset(), b.end() - b.offset(), null, b.afterSeq(), b.nextSeq()));
      }
      return new RecoveryReport(abs, s.records, s.lastSeq, s.tailOffset, s.tailBytes, q, s.gaps, 0, 0, true);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new JournalException("no journal at " + abs, e);
    } catch (IOException e) {
      throw JournalException.of("journal " + abs, e);
    }
  }

  /** Opens or creates {@code f} read-write and repairs it: torn tail truncated, bad ranges quarantined. */
  private static Opened openForAppend(Path f, ChannelOpener opener, FrameScan.Visitor visitor) throws IOException {
    Opened o = new Opened();
    boolean created = !Files.exists(f);
    if (created) {
      Files.createDirectories(f.getParent());
    }
    o.channel = opener.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = o.channel.size();
      if (size < FrameFormat.FILE_HEADER_SIZE) {
        checkHeaderPrefix(o.channel, f, size);
        o.channel.truncate(0);
        FrameFormat.writeFully(o.channel, FrameFormat.fileHeader(), 0);
        o.channel.force(true);
        Fsync.directory(f.getParent());
        size = FrameFormat.FILE_HEADER_SIZE;
      } else {
        checkHeader(o.channel, f);
      }
      o.scan = FrameScan.run(o.channel, size, visitor);
      if (!o.scan.bad.isEmpty()) {
        quarantine(o, f);
        rewriteWithout(o, f, opener);
      } else if (o.scan.tailOffset >= 0) {
        o.channel.truncate(o.scan.tailOffset);
        o.channel.force(true);
      }
      return o;
    } catch (IOException | RuntimeException e) {
      closeQuietly(o.channel);
      throw e;
    }
  }

  private static void checkHeader(FileChannel ch, Path f) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(FrameFormat.FILE_HEADER_SIZE);
    FrameFormat.readFully(ch, h, 0);
    if (!FrameFormat.isFileHeader(h.array())) {
      throw new JournalException(f + " is not a finops journal of format version " + FrameFormat.FORMAT_VERSION
          + " (bad file header); move it aside to start a new one");
    }
  }

  /** A file shorter than a header is a header torn at creation, or not a journal at all. */
  private static void checkHeaderPrefix(FileChannel ch, Path f, long size) throws IOException {
    ByteBuffer h = ByteBuffer.allocate((int) size);
    FrameFormat.readFully(ch, h, 0);
    if (!FrameFormat.isFileHeaderPrefix(h.array(), (int) size)) {
      throw new JournalException(f + " is not a finops journal (" + size + " bytes, bad file header)");
    }
  }

  /** Copies each bad range to {@code <file>.<offset>.quarantine}, forced. */
  private static void quarantine(Opened o, Path f) throws IOException {
    for (FrameScan.Bad b : o.scan.bad) {
      Path q = f.resolveSibling(f.getFileName() + "." + b.offset() + ".quarantine");
      for (int i = 1; Files.exists(q); i++) {
        q = f.resolveSibling(f.getFileName() + "." + b.offset() + "-" + i + ".quarantine");
      }
      try (FileChannel out = FileChannel.open(q, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        transferFully(o.channel, b.offset(), b.end() - b.offset(), out);
        out.force(true);
      }
      o.quarantined.add(new RecoveryReport.Quarantined(b.offset(), b.end() - b.offset(), q, b.afterSeq(), b.nextSeq()));
      log.warn("finops: journal {}: corrupt bytes {}..{} between records {} and {} quarantined to {}", f, b.offset(),
          b.end(), b.afterSeq(), b.nextSeq(), q);
    }
    Fsync.directory(f.getParent());
  }

  /** Rewrites the file without its bad ranges and torn tail: temporary file, force, atomic rename. */
  private static void rewriteWithout(Opened o, Path f, ChannelOpener opener) throws IOException {
    Path tmp = f.resolveSibling(f.getFileName() + ".rewrite.tmp");
    long validEnd = o.scan.tailOffset >= 0 ? o.scan.tailOffset : o.channel.size();
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      long from = 0;
      for (FrameScan.Bad b : o.scan.bad) {
        transferFully(o.channel, from, b.offset() - from, out);
        from = b.end();
      }
      transferFully(o.channel, from, validEnd - from, out);
      out.force(true);
    }
    Fsync.atomicMove(tmp, f);
    o.channel.close();
    o.channel = opener.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
    o.scan.end = o.channel.size(); // the header and the valid frames, nothing else
  }

  private static long transferFully(FileChannel from, long position, long count, FileChannel to) throws IOException {
    long done = 0;
    while (done < count) {
      long n = from.transferTo(position + done, count - done, to);
      if (n <= 0) {
        throw new IOException("short copy at offset " + (position + done));
      }
      done += n;
    }
    return done;
  }

  /**
   * Appends the valid frames of {@code from} above {@code afterSeq} to {@code to} at {@code toEnd}.
   *
   * @return {frames copied, new end of {@code to}}
   */
  private static long[] copy(FileChannel from, long afterSeq, FileChannel to, long toEnd, Consumer<Frame> recovered)
      throws IOException {
    long[] result = {0, toEnd};
    ByteBuffer[] buf = {ByteBuffer.allocate(4096)};
    CRC32C crc = new CRC32C();
    FrameScan.run(from, from.size(), f -> {
      if (f.seq() > afterSeq) {
        buf[0] = FrameFormat.encode(buf[0], f.type(), f.seq(), f.payload(), crc);
        int n = buf[0].remaining();
        FrameFormat.writeFully(to, buf[0], result[1]);
        result[1] += n;
        result[0]++;
        if (recovered != null) {
          recovered.accept(new Frame(f.seq(), f.type(), f.payload()));
        }
      }
    });
    return result;
  }

  public Path file() {
    return file;
  }

  public DurabilityMode durability() {
    return options.durability;
  }

  /** What opening the journal found. */
  public RecoveryReport recovery() {
    return recovery;
  }

  /** The sequence number of the last record appended or recovered (0 for none). */
  public synchronized long lastSeq() {
    return lastSeq;
  }

  /** True after an I/O error: every later append throws. */
  public boolean isFailed() {
    return failure != null;
  }

  /** Why the mirror stopped (or never started), or {@code null} while it is in step or absent. */
  public String mirrorError() {
    return mirrorError;
  }

  /**
   * Appends a record: writes it and, under {@link DurabilityMode#SYNC_EACH} and {@link
   * DurabilityMode#GROUP_COMMIT}, waits until a force covering it has completed, before returning its
   * sequence number. Under group commit the writers that append while a force is running wait
   * together and share the next force.
   *
   * @param type a record type, 0 to 255
   * @throws JournalFailedException if this or an earlier write or force failed
   * @throws JournalException if the journal is closed
   * @throws IllegalArgumentException if the payload exceeds {@link #MAX_PAYLOAD}
   */
  public long append(int type, byte[] payload) {
    if (options.durability != DurabilityMode.GROUP_COMMIT) {
      synchronized (this) {
        return write(type, payload);
      }
    }
    entered.incrementAndGet();
    long seq;
    synchronized (this) {
      try {
        seq = write(type, payload);
      } finally {
        settled++;
        if (lingering) {
          notifyAll();
        }
      }
    }
    awaitForced(seq);
    return seq;
  }

  /** Writes one record (and forces it under {@code SYNC_EACH}); holds the lock. */
  private long write(int type, byte[] payload) {
    if (type < 0 || type > 255) {
      throw new IllegalArgumentException("record type must be 0..255: " + type);
    }
    if (payload.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("record payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
    }
    checkUsable();
    if (closing) {
      throw new JournalException("journal " + file + " is closed");
    }
    long seq = lastSeq + 1;
    buffer = FrameFormat.encode(buffer, type, seq, payload, crc);
    int n = buffer.remaining();
    try {
      FrameFormat.writeFully(channel, buffer, position);
    } catch (IOException e) {
      throw fail("write at offset " + position, e);
    }
    position += n;
    lastSeq = seq;
    writeMirror(n);
    if (options.durability == DurabilityMode.SYNC_EACH) {
      forceLocked();
    }
    return seq;
  }

  /**
   * Group commit: returns once record {@code seq} is forced. If no force is running, this writer
   * forces everything written so far (after letting appends already under way join, up to the
   * interval), outside the lock so that others keep writing; otherwise it waits for that force and,
   * if it did not cover {@code seq}, for the next one, which one of the waiting writers makes for all.
   */
  private void awaitForced(long seq) {
    boolean interrupted = false;
    try {
      while (true) {
        long target;
        FileChannel ch;
        FileChannel mi;
        synchronized (this) {
          while (forcedSeq < seq && (forcing || closing)) {
            if (failure != null) {
              throw failed();
            }
            if (closed) {
              throw new JournalException("journal " + file + " closed before record " + seq + " was forced");
            }
            try {
              wait();
            } catch (InterruptedException e) {
              interrupted = true; // the record is written; its durability must not be given up
            }
          }
          if (forcedSeq >= seq) {
            return;
          }
          checkUsable();
          forcing = true;
          interrupted |= linger();
          target = lastSeq;
          ch = channel;
          mi = mirror;
        }
        IOException error = null;
        IOException mirrorError = null;
        try {
          ch.force(false);
          if (mi != null) {
            try {
              mi.force(false);
            } catch (IOException e) {
              mirrorError = e;
            }
          }
        } catch (IOException e) {
          error = e;
        }
        synchronized (this) {
          forcing = false;
          notifyAll();
          if (error != null) {
            throw failure == null ? fail("force", error) : failed();
          }
          forcedSeq = Math.max(forcedSeq, target);
          if (mirrorError != null && mirror == mi) {
            mirrorFailed("force", mirrorError);
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits, holding the lock's monitor, until the appends begun before now are written or the
   * group-commit interval has passed; returns whether the thread was interrupted meanwhile.
   */
  private boolean linger() {
    long begun = entered.get();
    if (settled >= begun) {
      return false;
    }
    boolean interrupted = false;
    lingering = true;
    long deadline = System.nanoTime() + options.groupCommit.toNanos();
    try {
      while (settled < begun) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      lingering = false;
    }
    return interrupted;
  }

  /**
   * Forces every record appended so far to the storage device (and the mirror's).
   *
   * @throws JournalFailedException if the force (or an earlier one) failed
   */
  public synchronized void force() {
    checkUsable();
    forceLocked();
  }

  private void forceLocked() {
    if (forcedSeq >= lastSeq) {
      return;
    }
    long target = lastSeq;
    try {
      channel.force(false);
    } catch (IOException e) {
      throw fail("force", e);
    }
    forcedSeq = target;
    notifyAll(); // group-commit writers waiting for this record
    if (mirror != null) {
      try {
        mirror.force(false);
      } catch (IOException e) {
        mirrorFailed("force", e);
      }
    }
  }

  private void writeMirror(int n) {
    if (mirror == null) {
      return;
    }
    buffer.position(buffer.limit() - n);
    try {
      FrameFormat.writeFully(mirror, buffer, mirrorPosition);
      mirrorPosition += n;
    } catch (IOException e) {
      mirrorFailed("write", e);
    }
  }

  private void mirrorFailed(String op, IOException e) {
    mirrorError = "mirror " + options.mirror + ": " + op + " failed after record " + lastSeq + ": " + e;
    log.warn("finops: journal {}: {}; the mirror holds the records before it, the local journal carries on", file,
        mirrorError);
    closeQuietly(mirror);
    mirror = null;
  }

  private JournalFailedException fail(String op, IOException e) {
    failure = e;
    log.error("finops: journal {} stopped: {} failed after record {}: {}. Further records are refused; reopen the "
        + "journal to recover what is on disk.", file, op, lastSeq, e.toString());
    return failed();
  }

  private JournalFailedException failed() {
    return new JournalFailedException("journal " + file + " stopped after an I/O error (" + failure
        + "); records after " + lastSeq + " are refused and the last ones may not be durable; reopen it to recover",
        failure);
  }

  private void checkUsable() {
    if (failure != null) {
      throw failed();
    }
    if (closed) {
      throw new JournalException("journal " + file + " is closed");
    }
  }

  /** Forces what was appended (unless the journal failed) and releases the file and its lock. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closing = true;
    boolean interrupted = false;
    while (forcing) { // a group-commit force runs on the channel outside the lock
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    closed = true;
    try {
      if (failure == null) {
        forceLocked();
      }
    } finally {
      notifyAll();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      closeQuietly(channel);
      closeQuietly(mirror);
      try {
        lock.release();
      } catch (IOException e) {
        // the channel's close releases it too
      }
      closeQuietly(lockChannel);
    }
  }

  private static void release(FileChannel lockChannel, Opened local, Opened mirrored) {
    closeQuietly(local == null ? null : local.channel);
    closeQuietly(mirrored == null ? null : mirrored.channel);
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // nothing more to do
      }
    }
  }

  @Override
  public String toString() {
    return "Journal{" + file + ", " + options.durability + "}";
  }
}
