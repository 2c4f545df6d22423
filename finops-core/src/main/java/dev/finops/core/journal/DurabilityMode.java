package dev.finops.core.journal;

/**
 * When a journal forces its records to the storage device. Every mode writes a record to the file
 * (the operating system's page cache) before {@code append} returns, so every mode survives a
 * crash of the process, {@code kill -9} included. They differ on a crash of the machine, a power
 * loss or a spot VM that disappears with its disk:
 *
 * <table>
 *   <caption>Durability modes</caption>
 *   <tr><th>mode</th><th>forces</th><th>a record survives a power loss</th></tr>
 *   <tr><td>{@link #SYNC_EACH}</td><td>every record, before {@code append} returns</td>
 *       <td>once {@code append} has returned</td></tr>
 *   <tr><td>{@link #GROUP_COMMIT}</td><td>at most once per group-commit interval, on a background
 *       thread, covering every record written before it</td>
 *       <td>within one interval (plus the time of the force) after {@code append} returned</td></tr>
 *   <tr><td>{@link #OS_BUFFERED}</td><td>only on {@code force()} and {@code close()}</td>
 *       <td>when the operating system writes it back (typically within 30 s on Linux), or at
 *       {@code force()}</td></tr>
 * </table>
 *
 * <p>Measured on a virtualized ext4 disk (2 vCPUs, 2026-12; see {@code benchmarks/JournalThroughput}):
 * {@code SYNC_EACH} about 350 records/s, bounded by one {@code fdatasync} per record;
 * {@code GROUP_COMMIT} (10 ms) and {@code OS_BUFFERED} about 200,000 records/s, bounded by
 * encoding and {@code write(2)}. A training loop journals a few records per optimizer step, so
 * {@code SYNC_EACH} is affordable whenever a step takes more than a few milliseconds.
 */
public enum DurabilityMode {
  /** Force every record before {@code append} returns (fdatasync per record). */
  SYNC_EACH,
  /**
   * Force on a background thread at most once per group-commit interval; {@code append} does not
   * wait. Call {@code force()} where a record must be durable now (on an interruption notice).
   */
  GROUP_COMMIT,
  /** Leave write-back to the operating system; force only on {@code force()} and {@code close()}. */
  OS_BUFFERED
}
