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
 *   <tr><td>{@link #GROUP_COMMIT}</td><td>once per group of concurrent writers, before their
 *       {@code append}s return</td>
 *       <td>once {@code append} has returned</td></tr>
 *   <tr><td>{@link #OS_BUFFERED}</td><td>only on {@code force()} and {@code close()}</td>
 *       <td>when the operating system writes it back (typically within 30 s on Linux), or at
 *       {@code force()}</td></tr>
 * </table>
 *
 * <p>Under {@link #GROUP_COMMIT} an {@code append} waits, like under {@link #SYNC_EACH}, until a
 * force covering its record has completed, but writers share forces: one writer forces whatever has
 * been written (outside the journal's lock, so others keep writing), and the writers that append
 * while that force runs wait together for the next force, which one of them makes for all. A single
 * writer therefore pays one force per record, as with {@code SYNC_EACH}; many concurrent writers pay
 * about one force per group. Until 2026-12 {@code GROUP_COMMIT} forced on a background thread and
 * {@code append} did not wait; the figures below were measured then.
 *
 * <p>Measured with {@code benchmarks/.../JournalThroughput} (one writer, 3 s per mode) on a
 * virtualized ext4 disk, 2 vCPUs, Java 17, 2026-11-28: {@code SYNC_EACH} 5,900 to 6,900 run records/s
 * when the machine was quiet, one {@code fdatasync} per record (the same disk gave about 360
 * fsyncs/s while other builds loaded it); {@code GROUP_COMMIT} (10 ms) 240,000 to 270,000 and
 * {@code OS_BUFFERED} 290,000 to 430,000 run records/s, bounded by JSON encoding and {@code
 * write(2)} (raw 256-byte frames: 550,000 to 900,000/s). A training loop journals a few records per
 * optimizer step, so {@code SYNC_EACH} is affordable whenever a step takes more than a few
 * milliseconds.
 */
public enum DurabilityMode {
  /** Force every record before {@code append} returns (fdatasync per record). */
  SYNC_EACH,
  /**
   * Force before {@code append} returns, one force shared by the writers that append concurrently
   * (the writer that forces waits up to the group-commit interval for appends already under way on
   * other threads to join, never for later ones).
   */
  GROUP_COMMIT,
  /** Leave write-back to the operating system; force only on {@code force()} and {@code close()}. */
  OS_BUFFERED
}
