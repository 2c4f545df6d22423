/**
 * A durable, append-only journal of a training run's cost records that survives process crashes and
 * spot preemptions: {@link dev.finops.core.journal.Journal} (framed records with CRC-32C and sequence
 * numbers, torn-tail truncation, quarantine of mid-file corruption, three {@link
 * dev.finops.core.journal.DurabilityMode durability modes}, an optional mirror on a shared volume) and
 * {@link dev.finops.core.journal.RunJournal} (one run's records, checkpoints of its totals, the
 * {@link dev.finops.core.journal.RunState} a resumed run continues from).
 *
 * <h2>File format (version 1)</h2>
 *
 * <p>A journal file starts with a 16-byte header: the ASCII bytes {@code FINOPSJL}, the format
 * version (u16, big-endian), two reserved bytes and the CRC-32C of the first 12 bytes. Frames follow
 * back to back, each a 24-byte header and a payload (all integers big-endian):
 *
 * <pre>
 * offset size field
 *   0     4   magic 0xF1 'J' 'R' 'N'   (0xF1 followed by an ASCII byte never occurs in UTF-8 text)
 *   4     1   frame version (1)
 *   5     1   record type
 *   6     2   flags (0)
 *   8     4   payload length (at most 1 MiB)
 *  12     8   sequence number (strictly increasing within a journal; never reused)
 *  20     4   CRC-32C (java.util.zip.CRC32C) of bytes 4..19 and the payload
 *  24     n   payload (run records: UTF-8 JSON)
 * </pre>
 *
 * <h2>Recovery and the resynchronization rule</h2>
 *
 * <p>On open the file is scanned from the header. A frame is <em>valid</em> when its magic, version
 * and length are right, it lies entirely inside the file, its CRC matches and its sequence number is
 * greater than the last valid frame's. At the first invalid frame at offset {@code p}, the scanner
 * resynchronizes on the next valid frame: the smallest offset {@code q > p} where the magic occurs
 * and a valid frame starts. If there is one, bytes {@code [p, q)} are mid-file corruption: they are
 * copied to {@code <journal>.<p>.quarantine}, reported with the offsets and the sequence numbers
 * around them, cut out of the journal (rewritten to a temporary file, forced, atomically renamed),
 * and the scan continues at {@code q}. If there is none, {@code [p, end)} is a torn tail (a write the
 * crash interrupted) and the file is truncated at {@code p}. Nothing valid is ever thrown away, and
 * a run's records carry cumulative totals, so a lost record in the middle loses its own detail but
 * not the run's totals.
 *
 * <h2>Durability</h2>
 *
 * <p>A record is written to the file before {@code append} returns. Whether it also survives a power
 * loss depends on the {@link dev.finops.core.journal.DurabilityMode}. After an I/O error on a write
 * or a force the journal stops: every later append throws {@link
 * dev.finops.core.journal.JournalFailedException}; the force is never retried (after a failed fsync
 * the state of the page cache is unknown). Reopen the journal to recover from what is on disk.
 *
 * <h2>Mirror</h2>
 *
 * <p>With a mirror (a directory that may be a mounted shared volume), every frame is also appended
 * to a copy of the journal there, forced on the same schedule as the local file; checkpoints are
 * copied too. Guaranteed: the mirror holds a prefix of the local journal (valid frames, in order),
 * complete up to the last frame written before a mirror error; on a mirror error the local journal
 * carries on and the error is logged and reported. On open, whichever copy is behind is brought up
 * to date from the other, so a run resumed on a fresh machine with an empty local disk continues
 * from the mirror. One writer per run at a time: the local directory is locked; the mirror is not.
 */
package dev.finops.core.journal;
