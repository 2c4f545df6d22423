package dev.finops.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file channel that counts forces and fails them on demand, for the journal's failure tests: a
 * disk that reports a write-back error on fsync.
 */
final class FaultyChannel extends FileChannel {

  /** Shared by every channel an opener made, so a test can watch and break them. */
  static final class Faults {
    final AtomicInteger forces = new AtomicInteger();
    volatile boolean failForce;
    /** While set, a force waits for it to open before forcing (a slow disk). */
    volatile java.util.concurrent.CountDownLatch holdForces;
    /** Counts forces that started, held or not. */
    final java.util.concurrent.Semaphore forceStarted = new java.util.concurrent.Semaphore(0);
    /** The file size when the last completed force started: every byte below it is on the device. */
    final java.util.concurrent.atomic.AtomicLong forcedBytes = new java.util.concurrent.atomic.AtomicLong();

    Journal.ChannelOpener opener() {
      return (Path p, OpenOption... o) -> new FaultyChannel(FileChannel.open(p, o), this);
    }
  }

  private final FileChannel d;
  private final Faults faults;

  FaultyChannel(FileChannel delegate, Faults faults) {
    this.d = delegate;
    this.faults = faults;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    faults.forces.incrementAndGet();
    long size = d.size();
    faults.forceStarted.release();
    java.util.concurrent.CountDownLatch hold = faults.holdForces;
    if (hold != null) {
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while held", e);
      }
    }
    if (faults.failForce) {
      throw new IOException("injected: fsync failed (EIO)");
    }
    d.force(metaData);
    faults.forcedBytes.accumulateAndGet(size, Math::max);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return d.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return d.read(dsts, offset, length);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return d.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return d.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return d.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    d.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return d.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    d.truncate(size);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return d.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return d.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return d.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return d.write(src, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return d.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return d.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return d.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    d.close();
  }
}
