package dev.finops.core.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What opening (or reading) a journal found on disk: how many valid records, a torn tail that was
 * truncated, corrupt ranges in the middle that were quarantined, gaps in the sequence numbers, and
 * records brought over from or to the mirror. Immutable.
 */
public final class RecoveryReport {

  /**
   * A range of bytes in the middle of a journal that held no valid frame, between two valid ones.
   *
   * @param offset where the bad bytes start in the journal as it was found
   * @param length how many bytes were cut out
   * @param file where the bytes were copied ({@code null} when the journal was only read)
   * @param afterSeq the sequence number of the last valid record before them (0 if none)
   * @param nextSeq the sequence number of the first valid record after them; the records in
   *     between ({@code afterSeq + 1 .. nextSeq - 1}) are lost from this file
   */
  public record Quarantined(long offset, long length, Path file, long afterSeq, long nextSeq) {
    @Override
    public String toString() {
      return "corrupt bytes " + offset + ".." + (offset + length) + " between records " + afterSeq + " and "
          + nextSeq + (file == null ? "" : ", quarantined to " + file);
    }
  }

  private final Path file;
  private final long records;
  private final long lastSeq;
  private final long tornTailOffset;
  private final long tornTailBytes;
  private final List<Quarantined> quarantined;
  private final List<long[]> gaps;
  private final long fromMirror;
  private final long toMirror;
  private final boolean readOnly;

  RecoveryReport(Path file, long records, long lastSeq, long tornTailOffset, long tornTailBytes,
      List<Quarantined> quarantined, List<long[]> gaps, long fromMirror, long toMirror, boolean readOnly) {
    this.file = file;
    this.records = records;
    this.lastSeq = lastSeq;
    this.tornTailOffset = tornTailOffset;
    this.tornTailBytes = tornTailBytes;
    this.quarantined = List.copyOf(quarantined);
    this.gaps = List.copyOf(gaps);
    this.fromMirror = fromMirror;
    this.toMirror = toMirror;
    this.readOnly = readOnly;
  }

  public Path file() {
    return file;
  }

  /** Valid records found (after any brought over from the mirror). */
  public long records() {
    return records;
  }

  /** The highest sequence number found, 0 for an empty journal. */
  public long lastSeq() {
    return lastSeq;
  }

  /**
   * Bytes after the last valid frame that held no valid frame: a write torn by a crash. Truncated
   * when the journal is opened for writing; left alone (it may be a write in progress) when it is
   * only read.
   */
  public long tornTailBytes() {
    return tornTailBytes;
  }

  /** Where the torn tail starts (the new end of the file), or -1 when there is none. */
  public long tornTailOffset() {
    return tornTailOffset;
  }

  /** Corrupt ranges between valid frames, in file order. */
  public List<Quarantined> quarantined() {
    return quarantined;
  }

  /**
   * Gaps in the sequence numbers between consecutive valid records, as {@code {afterSeq, nextSeq}}
   * pairs (records quarantined now or before).
   */
  public List<long[]> sequenceGaps() {
    return gaps;
  }

  /** Records copied from the mirror because the local journal lacked them. */
  public long restoredFromMirror() {
    return fromMirror;
  }

  /** Records copied to the mirror because it was behind. */
  public long copiedToMirror() {
    return toMirror;
  }

  /** True when the journal was only read: nothing was truncated, quarantined or copied. */
  public boolean isReadOnly() {
    return readOnly;
  }

  /** True when every byte after the header belonged to a valid frame and no sequence number is missing. */
  public boolean isClean() {
    return tornTailBytes == 0 && quarantined.isEmpty() && gaps.isEmpty();
  }

  /** One line per finding, for logs and the command line; empty when clean and nothing was copied. */
  public List<String> findings() {
    List<String> out = new ArrayList<>();
    if (tornTailBytes > 0) {
      out.add((readOnly ? "incomplete tail of " : "torn tail of ") + tornTailBytes + " bytes at offset "
          + tornTailOffset + (readOnly ? " (left alone: read only)" : " truncated"));
    }
    for (Quarantined q : quarantined) {
      out.add(q.toString());
    }
    for (long[] g : gaps) {
      out.add("records " + (g[0] + 1) + ".." + (g[1] - 1) + " missing");
    }
    if (fromMirror > 0) {
      out.add(fromMirror + " records restored from the mirror");
    }
    if (toMirror > 0) {
      out.add(toMirror + " records copied to the mirror");
    }
    return out;
  }

  @Override
  public String toString() {
    List<String> f = findings();
    return "RecoveryReport{" + file + ": " + records + " records, last seq " + lastSeq
        + (f.isEmpty() ? "" : "; " + String.join("; ", f)) + "}";
  }
}
