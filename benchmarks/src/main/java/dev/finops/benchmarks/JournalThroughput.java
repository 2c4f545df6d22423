package dev.finops.benchmarks;

import dev.finops.core.Money;
import dev.finops.core.journal.DurabilityMode;
import dev.finops.core.journal.Journal;
import dev.finops.core.journal.RecordType;
import dev.finops.core.journal.RunJournal;
import dev.finops.core.journal.RunRecord;
import dev.finops.core.journal.RunTotals;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Records per second a journal sustains on this machine's disk in each {@link DurabilityMode}, from
 * one writer thread: run records as a training run writes them (JSON, about 400 bytes) through
 * {@link RunJournal}, and raw 256-byte frames through {@link Journal}. Each measurement runs for a
 * fixed time after a short warm-up, in a fresh directory.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.finops.benchmarks.JournalThroughput [seconds] [directory]</pre>
 *
 * Seconds per measurement default to 2; the directory (default: a temporary one) should be on the
 * disk to measure.
 */
public final class JournalThroughput {

  private static final Duration GROUP_COMMIT = Journal.DEFAULT_GROUP_COMMIT;
  private static final byte[] FRAME = new byte[256];

  private JournalThroughput() {}

  public static void main(String[] args) throws IOException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
    Path base = args.length > 1 ? Files.createDirectories(Path.of(args[1])) : Files.createTempDirectory("journal-bench");
    long nanos = (long) (seconds * 1e9);
    System.out.printf("journal throughput, %s, %d CPUs, Java %s, %s, in %s%n", LocalDate.now(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), base.toAbsolutePath());
    System.out.printf("%-14s %-10s %18s %20s%n", "mode", "interval", "run records/s", "256-byte frames/s");
    int n = 0;
    for (DurabilityMode mode : DurabilityMode.values()) {
      runRecords(base.resolve("warmup-" + n), mode, nanos / 4);
      double records = runRecords(base.resolve("records-" + n), mode, nanos);
      frames(base.resolve("warmup-frames-" + n), mode, nanos / 4);
      double frames = frames(base.resolve("frames-" + n), mode, nanos);
      n++;
      System.out.printf("%-14s %-10s %,18.0f %,20.0f%n", mode, mode == DurabilityMode.GROUP_COMMIT
          ? GROUP_COMMIT.toMillis() + " ms" : "", records, frames);
    }
    if (args.length <= 1) {
      deleteRecursively(base);
    }
  }

  /** Run records per second through a run journal. */
  private static double runRecords(Path dir, DurabilityMode mode, long nanos) {
    BigDecimal rate = new BigDecimal("1.5625");
    try (RunJournal j = RunJournal.builder(dir, "bench").durability(mode).groupCommitInterval(GROUP_COMMIT).build()) {
      long start = System.nanoTime();
      long count = 0;
      long now;
      while ((now = System.nanoTime()) - start < nanos) {
        count++;
        j.append(RunRecord.builder(RecordType.PROGRESS, 1, rate, Money.USD).event("step").time(count * 30_000L)
            .totals(RunTotals.builder().gpuMillis(count * 240_000L).steps(count).samples(count * 256)
                .tokens(count * 524_288L).gpuMillisAtStep(count * 240_000L).build())
            .attemptGpuMillis(count * 240_000L, 0).onDemandRate(new BigDecimal("2.74470525")));
      }
      j.force();
      return count * 1e9 / (now - start);
    }
  }

  /** Raw frames per second through the framed journal. */
  private static double frames(Path dir, DurabilityMode mode, long nanos) {
    Journal.Options o = Journal.options().durability(mode).groupCommitInterval(GROUP_COMMIT).build();
    try (Journal j = Journal.open(dir.resolve("frames.log"), o, f -> { })) {
      long start = System.nanoTime();
      long count = 0;
      long now;
      while ((now = System.nanoTime()) - start < nanos) {
        Arrays.fill(FRAME, 0, 8, (byte) count);
        j.append(2, FRAME);
        count++;
      }
      j.force();
      return count * 1e9 / (now - start);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
