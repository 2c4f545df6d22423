package dev.finops.core.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable journal of one training run: its cost records ({@link RunRecord}) in a {@link
 * Journal} at {@code <directory>/<runId>/journal.log}, checkpoints of its totals at {@code
 * <directory>/<runId>/checkpoint.json}, and the {@link RunState} they restore. Give it to a training
 * run ({@code TrainingRun.builder(...).journal(RunJournal.open(dir, "ft-42"))}); started again after
 * a crash or a preemption, the run resumes from it.
 *
 * <p>Opening recovers the journal (see the {@link dev.finops.core.journal package documentation}):
 * the state is the last checkpoint with every later valid record applied. A checkpoint is written to
 * a temporary file, forced, renamed atomically over the last one, and the directory forced; it lets a
 * run resume even if its journal file is lost. With a {@linkplain Builder#mirror mirror}, the records
 * and checkpoints are also kept under {@code <mirror>/<runId>/}, and a run resumed on a machine whose
 * local journal is gone continues from there.
 *
 * <p>Thread-safe.
 */
public final class RunJournal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RunJournal.class);

  /** The journal file's name inside the run's directory. */
  public static final String JOURNAL_FILE = "journal.log";
  /** The checkpoint file's name inside the run's directory. */
  public static final String CHECKPOINT_FILE = "checkpoint.json";

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** What reading a run's journal found. */
  public record Contents(RunState state, RecoveryReport recovery) {}

  private final String runId;
  private final Path runDirectory;
  private final Path mirrorDirectory;
  private final Journal journal;
  private RunState.Folder folder;
  private RunState state;

  private RunJournal(String runId, Path runDirectory, Path mirrorDirectory, Journal journal, RunState.Folder folder) {
    this.runId = runId;
    this.runDirectory = runDirectory;
    this.mirrorDirectory = mirrorDirectory;
    this.journal = journal;
    this.folder = folder;
    this.state = folder.state();
  }

  /** Opens (creating if needed) the journal of {@code runId} under {@code directory}, forcing every record. */
  public static RunJournal open(Path directory, String runId) {
    return builder(directory, runId).build();
  }

  public static Builder builder(Path directory, String runId) {
    return new Builder(directory, runId);
  }

  /** True if {@code directory} holds a journal or a checkpoint of {@code runId}. */
  public static boolean exists(Path directory, String runId) {
    Path d = directory.resolve(checkRunId(runId));
    return Files.exists(d.resolve(JOURNAL_FILE)) || Files.exists(d.resolve(CHECKPOINT_FILE));
  }

  /**
   * Reads a run's journal and checkpoint without changing them (safe while the run writes).
   *
   * @throws JournalException if there is no journal of {@code runId} under {@code directory}, or it
   *     cannot be read
   */
  public static Contents read(Path directory, String runId) {
    Path d = directory.resolve(checkRunId(runId));
    if (!exists(directory, runId)) {
      throw new JournalException("no journal of run '" + runId + "' under " + directory.toAbsolutePath());
    }
    RunState.Folder folder = new RunState.Folder(checkpoint(d, runId));
    RecoveryReport report = Files.exists(d.resolve(JOURNAL_FILE))
        ? Journal.read(d.resolve(JOURNAL_FILE), f -> apply(folder, runId, f))
        : new RecoveryReport(d.resolve(JOURNAL_FILE), 0, 0, -1, 0, java.util.List.of(), java.util.List.of(), 0, 0,
            true);
    return new Contents(folder.state(), report);
  }

  static String checkRunId(String runId) {
    Objects.requireNonNull(runId, "runId");
    if (!RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("run id '" + runId + "' cannot name a journal: use 1 to 128 letters, "
          + "digits, '.', '_' or '-', starting with a letter or digit");
    }
    return runId;
  }

  /** The last good checkpoint in {@code dir}, or the empty state. */
  private static RunState checkpoint(Path dir, String runId) {
    Path f = dir.resolve(CHECKPOINT_FILE);
    try {
      RunState s = RecordCodec.decodeState(Files.readAllBytes(f));
      if (!runId.equals(s.runId())) {
        throw new JournalException(f + " is the checkpoint of run '" + s.runId() + "', not '" + runId + "'");
      }
      return s;
    } catch (NoSuchFileException e) {
      return RunState.empty(runId);
    } catch (IOException | RuntimeException e) {
      if (e instanceof JournalException) {
        throw (JournalException) e;
      }
      log.warn("finops: ignoring unreadable checkpoint {} ({}); recovering from the journal alone", f, e.toString());
      return RunState.empty(runId);
    }
  }

  private static void apply(RunState.Folder folder, String runId, Journal.Frame f) {
    try {
      folder.apply(RecordCodec.decode(runId, f.seq(), f.type(), f.payload()));
    } catch (IOException | RuntimeException e) {
      log.warn("finops: journal of run {}: skipping record {} that does not decode ({})", runId, f.seq(), e.toString());
    }
  }

  public String runId() {
    return runId;
  }

  /** {@code <directory>/<runId>}. */
  public Path directory() {
    return runDirectory;
  }

  public DurabilityMode durability() {
    return journal.durability();
  }

  /** What opening the journal found. */
  public RecoveryReport recovery() {
    return journal.recovery();
  }

  /** The run as recovered and as appended since. */
  public synchronized RunState state() {
    return state;
  }

  /** True after an I/O error: every later append throws {@link JournalFailedException}. */
  public boolean isFailed() {
    return journal.isFailed();
  }

  /** Why the mirror stopped (or never started), or {@code null}. */
  public String mirrorError() {
    return journal.mirrorError();
  }

  /**
   * Appends a record (written, and forced per the durability mode, before this returns) and applies
   * it to {@link #state()}.
   *
   * @throws JournalFailedException after an I/O error
   */
  public synchronized RunRecord append(RunRecord.Builder record) {
    Objects.requireNonNull(record, "record");
    long seq = journal.lastSeq() + 1;
    RunRecord r = record.build(runId, seq);
    long written = journal.append(r.type().code(), RecordCodec.encode(r));
    if (written != seq) {
      throw new IllegalStateException("journal sequence moved under the run journal: " + written + " != " + seq);
    }
    folder.apply(r);
    state = folder.state();
    return r;
  }

  /** Forces every record so far to the device. */
  public void force() {
    journal.force();
  }

  /**
   * Writes a checkpoint of {@link #state()}: temporary file, forced, atomic rename, directory forced
   * (and the same in the mirror, best effort).
   *
   * @throws JournalException if the local checkpoint cannot be written
   */
  public synchronized void checkpoint() {
    byte[] json = RecordCodec.encode(state);
    try {
      Fsync.writeAtomically(runDirectory.resolve(CHECKPOINT_FILE), json);
    } catch (IOException e) {
      throw JournalException.of("checkpoint of run " + runId + " in " + runDirectory, e);
    }
    if (mirrorDirectory != null && journal.mirrorError() == null) {
      try {
        Fsync.writeAtomically(mirrorDirectory.resolve(CHECKPOINT_FILE), json);
      } catch (IOException e) {
        log.warn("finops: run {}: checkpoint not copied to the mirror {}: {}", runId, mirrorDirectory, e.toString());
      }
    }
  }

  /** Forces and closes the journal and releases its lock. Idempotent. */
  @Override
  public void close() {
    journal.close();
  }

  @Override
  public String toString() {
    return "RunJournal{" + runId + ", " + runDirectory + ", " + journal.durability() + "}";
  }

  /** Configures a {@link RunJournal}. */
  public static final class Builder {
    private final Path directory;
    private final String runId;
    private final Journal.Options.Builder options = Journal.options();
    private Path mirror;

    private Builder(Path directory, String runId) {
      this.directory = Objects.requireNonNull(directory, "directory");
      this.runId = checkRunId(runId);
    }

    /** When records are forced (default {@link DurabilityMode#SYNC_EACH}). */
    public Builder durability(DurabilityMode mode) {
      options.durability(mode);
      return this;
    }

    /**
     * Under {@link DurabilityMode#GROUP_COMMIT}, the longest the writer about to force waits for appends
     * already under way to join its force (default 10 ms).
     */
    public Builder groupCommitInterval(Duration interval) {
      options.groupCommitInterval(interval);
      return this;
    }

    /**
     * Keeps a copy of the records and checkpoints under {@code <sharedDirectory>/<runId>/} (a mounted
     * volume that outlives the machine), in step with the local journal.
     */
    public Builder mirror(Path sharedDirectory) {
      this.mirror = sharedDirectory;
      return this;
    }

    Builder opener(Journal.ChannelOpener opener) {
      options.opener(opener);
      return this;
    }

    /**
     * Opens and recovers the journal.
     *
     * @throws JournalException if it is in use by another process or cannot be read or repaired
     */
    public RunJournal build() {
      Path runDir = directory.resolve(runId).toAbsolutePath();
      Path mirrorDir = mirror == null ? null : mirror.resolve(runId).toAbsolutePath();
      RunState start = checkpoint(runDir, runId);
      if (mirrorDir != null && Files.exists(mirrorDir.resolve(CHECKPOINT_FILE))) {
        RunState mirrored = checkpoint(mirrorDir, runId);
        if (mirrored.lastSeq() > start.lastSeq()) {
          start = mirrored;
        }
      }
      RunState.Folder folder = new RunState.Folder(start);
      Journal.Options o = options.mirror(mirrorDir == null ? null : mirrorDir.resolve(JOURNAL_FILE))
          .afterSeq(start.lastSeq()).build();
      Journal journal = Journal.open(runDir.resolve(JOURNAL_FILE), o, f -> apply(folder, runId, f));
      return new RunJournal(runId, runDir, mirrorDir, journal, folder);
    }
  }
}
