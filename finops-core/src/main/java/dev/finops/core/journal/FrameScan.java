package dev.finops.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One pass over a journal file applying the resynchronization rule of the package documentation:
 * valid frames are handed to a visitor in order; an invalid frame starts a bad range that ends at the
 * next valid frame (mid-file corruption) or at the end of the file (a torn tail). Reads only.
 */
final class FrameScan {

  /** Receives each valid frame, in file order. */
  interface Visitor {
    void frame(FrameFormat.Decoded frame) throws IOException;
  }

  /** A bad range {@code [offset, end)} between valid frames {@code afterSeq} and {@code nextSeq}. */
  record Bad(long offset, long end, long afterSeq, long nextSeq) {}

  final List<Bad> bad = new ArrayList<>();
  final List<long[]> gaps = new ArrayList<>();
  long records;
  long lastSeq;
  /** Offset just past the last valid frame. */
  long end = FrameFormat.FILE_HEADER_SIZE;
  long tailOffset = -1;
  long tailBytes;

  private static final int CHUNK = 64 * 1024;

  private FrameScan() {}

  /**
   * Scans {@code ch} ({@code size} bytes, header already checked).
   *
   * @param visitor receives valid frames; may be {@code null}
   */
  static FrameScan run(FileChannel ch, long size, Visitor visitor) throws IOException {
    FrameScan s = new FrameScan();
    ByteBuffer header = ByteBuffer.allocate(FrameFormat.HEADER_SIZE);
    CRC32C crc = new CRC32C();
    long p = FrameFormat.FILE_HEADER_SIZE;
    while (p < size) {
      FrameFormat.Decoded f = FrameFormat.tryRead(ch, p, size, s.lastSeq, header, crc);
      if (f == null) {
        long q = nextValid(ch, p + 1, size, s.lastSeq, header, crc);
        if (q < 0) {
          s.tailOffset = p;
          s.tailBytes = size - p;
          break;
        }
        f = FrameFormat.tryRead(ch, q, size, s.lastSeq, header, crc);
        s.bad.add(new Bad(p, q, s.lastSeq, f.seq()));
        p = q;
      }
      if (s.lastSeq > 0 && f.seq() != s.lastSeq + 1) {
        s.gaps.add(new long[] {s.lastSeq, f.seq()});
      }
      s.records++;
      s.lastSeq = f.seq();
      p = f.end();
      s.end = p;
      if (visitor != null) {
        visitor.frame(f);
      }
    }
    return s;
  }

  /** The smallest offset at or after {@code from} where a valid frame above {@code afterSeq} starts, or -1. */
  private static long nextValid(FileChannel ch, long from, long size, long afterSeq, ByteBuffer header, CRC32C crc)
      throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    long base = from;
    while (base + FrameFormat.HEADER_SIZE <= size) {
      chunk.clear();
      int n = (int) Math.min(CHUNK, size - base);
      chunk.limit(n);
      FrameFormat.readFully(ch, chunk, base);
      for (int i = 0; i + 4 <= n; i++) {
        if (chunk.getInt(i) == FrameFormat.MAGIC
            && FrameFormat.tryRead(ch, base + i, size, afterSeq, header, crc) != null) {
          return base + i;
        }
      }
      base += Math.max(1, n - 3); // overlap so a magic across chunks is not missed
    }
    return -1;
  }
}
