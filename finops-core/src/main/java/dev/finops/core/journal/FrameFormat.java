package dev.finops.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** The byte layout of journal files and frames (see the package documentation). Stateless. */
final class FrameFormat {

  static final byte[] FILE_MAGIC = "FINOPSJL".getBytes(StandardCharsets.US_ASCII);
  static final int FORMAT_VERSION = 1;
  static final int FILE_HEADER_SIZE = 16;

  static final int MAGIC = 0xF14A524E; // 0xF1 'J' 'R' 'N'
  static final byte FRAME_VERSION = 1;
  static final int HEADER_SIZE = 24;
  static final int MAX_PAYLOAD = 1 << 20;

  private static final int CRC_OFFSET = 20;

  private FrameFormat() {}

  /** The 16-byte file header. */
  static ByteBuffer fileHeader() {
    ByteBuffer b = ByteBuffer.allocate(FILE_HEADER_SIZE);
    b.put(FILE_MAGIC).putShort((short) FORMAT_VERSION).putShort((short) 0);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 12);
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  /** True if {@code header} (16 bytes) is a valid file header of a supported version. */
  static boolean isFileHeader(byte[] header) {
    return java.util.Arrays.equals(header, fileHeader().array());
  }

  /** True if {@code prefix} could be the start of a file header (a header torn at creation). */
  static boolean isFileHeaderPrefix(byte[] prefix, int length) {
    byte[] h = fileHeader().array();
    for (int i = 0; i < length; i++) {
      if (prefix[i] != h[i]) {
        return false;
      }
    }
    return true;
  }

  /** Encodes one frame into {@code out} (cleared first; grown if needed) and returns it flipped. */
  static ByteBuffer encode(ByteBuffer out, int type, long seq, byte[] payload, CRC32C crc) {
    int size = HEADER_SIZE + payload.length;
    ByteBuffer b = out.capacity() >= size ? out.clear() : ByteBuffer.allocate(Math.max(size, out.capacity() * 2));
    b.putInt(MAGIC).put(FRAME_VERSION).put((byte) type).putShort((short) 0).putInt(payload.length).putLong(seq);
    crc.reset();
    crc.update(b.array(), 4, CRC_OFFSET - 4);
    crc.update(payload);
    b.putInt((int) crc.getValue()).put(payload);
    return b.flip();
  }

  /** A frame read back from a file. */
  record Decoded(long offset, long seq, int type, byte[] payload) {
    long end() {
      return offset + HEADER_SIZE + payload.length;
    }
  }

  /**
   * The valid frame at {@code offset} of a file of {@code size} bytes with a sequence number above
   * {@code afterSeq}, or {@code null}.
   */
  static Decoded tryRead(FileChannel ch, long offset, long size, long afterSeq, ByteBuffer header, CRC32C crc)
      throws IOException {
    if (offset + HEADER_SIZE > size) {
      return null;
    }
    header.clear();
    readFully(ch, header, offset);
    header.flip();
    if (header.getInt(0) != MAGIC || header.get(4) != FRAME_VERSION) {
      return null;
    }
    int length = header.getInt(8);
    long seq = header.getLong(12);
    if (length < 0 || length > MAX_PAYLOAD || offset + HEADER_SIZE + length > size || seq <= afterSeq) {
      return null;
    }
    byte[] payload = new byte[length];
    readFully(ch, ByteBuffer.wrap(payload), offset + HEADER_SIZE);
    crc.reset();
    crc.update(header.array(), 4, CRC_OFFSET - 4);
    crc.update(payload);
    if ((int) crc.getValue() != header.getInt(CRC_OFFSET)) {
      return null;
    }
    return new Decoded(offset, seq, header.get(5) & 0xFF, payload);
  }

  static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        throw new java.io.EOFException("unexpected end of file at offset " + p);
      }
      p += n;
    }
  }

  static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      p += ch.write(b, p);
    }
  }
}
