package dev.finops.core.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The framed journal: appends, recovery from torn tails and mid-file corruption, durability, failure. */
class JournalTest {

  @TempDir
  Path dir;

  private Path file() {
    return dir.resolve("j.log");
  }

  private static byte[] payload(int i) {
    return ("{\"record\":" + i + ",\"pad\":\"" + "x".repeat(i % 7) + "\"}").getBytes(UTF_8);
  }

  /** Writes records 1..n with the default options and closes the journal. */
  private void write(int n) {
    try (Journal j = Journal.open(file())) {
      for (int i = 1; i <= n; i++) {
        assertThat(j.append(7, payload(i))).isEqualTo(i);
      }
    }
  }

  /** Opens the journal and returns the sequence numbers it recovered. */
  private List<Long> reopen() {
    List<Long> seqs = new ArrayList<>();
    try (Journal j = Journal.open(file(), Journal.options().build(), f -> {
      assertThat(f.payload()).isEqualTo(payload((int) f.seq()));
      seqs.add(f.seq());
    })) {
      return seqs;
    }
  }

  /** Offsets where each frame starts, from the file (header 16 bytes, frame header 24 bytes). */
  private static long[] frameOffsets(int n) {
    long[] at = new long[n + 2];
    at[1] = 16;
    for (int i = 1; i <= n; i++) {
      at[i + 1] = at[i] + 24 + payload(i).length;
    }
    return at;
  }

  @Test
  void recordsComeBackInOrderAndNumberingContinues() {
    write(3);
    List<byte[]> payloads = new ArrayList<>();
    try (Journal j = Journal.open(file(), Journal.options().build(), f -> payloads.add(f.payload()))) {
      assertThat(j.recovery().isClean()).isTrue();
      assertThat(j.recovery().records()).isEqualTo(3);
      assertThat(j.lastSeq()).isEqualTo(3);
      assertThat(j.append(7, payload(4))).isEqualTo(4);
    }
    assertThat(payloads).containsExactly(payload(1), payload(2), payload(3));
    assertThat(reopen()).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aTornTailIsTruncatedWhereverTheCrashCutTheLastFrames() throws IOException {
    write(4);
    byte[] full = Files.readAllBytes(file());
    long[] at = frameOffsets(4);
    // Every cut inside frames 3 and 4: the complete frames before the cut survive.
    for (int cut = (int) at[3] + 1; cut < full.length; cut++) {
      Files.write(file(), Arrays.copyOf(full, cut));
      int complete = cut >= at[5] ? 4 : cut >= at[4] ? 3 : 2;

      List<Long> seqs = new ArrayList<>();
      try (Journal j = Journal.open(file(), Journal.options().build(), f -> seqs.add(f.seq()))) {
        RecoveryReport r = j.recovery();
        assertThat(seqs).as("cut at %d", cut).hasSize(complete);
        long boundary = at[complete + 1];
        assertThat(r.tornTailBytes()).as("cut at %d", cut).isEqualTo(cut - boundary);
        assertThat(r.tornTailOffset()).isEqualTo(cut == boundary ? -1 : boundary);
        assertThat(r.quarantined()).isEmpty();
        assertThat(Files.size(file())).isEqualTo(at[complete + 1]);
        assertThat(j.append(7, payload(complete + 1))).isEqualTo(complete + 1);
      }
      assertThat(reopen()).hasSize(complete + 1);
    }
  }

  @Test
  void garbageAfterTheLastFrameIsATornTail() throws IOException {
    write(2);
    long end = Files.size(file());
    Files.write(file(), new byte[] {0, 0, 0, 0, (byte) 0xF1, 'J', 'R', 'N', 1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

    try (Journal j = Journal.open(file())) {
      assertThat(j.recovery().tornTailBytes()).isEqualTo(11);
      assertThat(j.recovery().findings()).containsExactly("torn tail of 11 bytes at offset " + end + " truncated");
    }
    assertThat(Files.size(file())).isEqualTo(end);
  }

  @Test
  void corruptionInTheMiddleIsQuarantinedAndTheScanResynchronizesOnTheNextFrame() throws IOException {
    write(5);
    long[] at = frameOffsets(5);
    byte[] bytes = Files.readAllBytes(file());
    bytes[(int) at[3] + 30] ^= 0x5A; // a bit flip in record 3's payload: its CRC no longer matches
    byte[] badFrame = Arrays.copyOfRange(bytes, (int) at[3], (int) at[4]);
    Files.write(file(), bytes);

    List<Long> seqs = new ArrayList<>();
    try (Journal j = Journal.open(file(), Journal.options().build(), f -> seqs.add(f.seq()))) {
      RecoveryReport r = j.recovery();
      assertThat(seqs).containsExactly(1L, 2L, 4L, 5L);
      assertThat(r.tornTailBytes()).isZero();
      assertThat(r.quarantined()).hasSize(1);
      RecoveryReport.Quarantined q = r.quarantined().get(0);
      assertThat(q.offset()).isEqualTo(at[3]);
      assertThat(q.length()).isEqualTo(at[4] - at[3]);
      assertThat(q.afterSeq()).isEqualTo(2);
      assertThat(q.nextSeq()).isEqualTo(4);
      assertThat(q.file()).isEqualTo(dir.resolve("j.log." + at[3] + ".quarantine"));
      assertThat(Files.readAllBytes(q.file())).isEqualTo(badFrame);
      assertThat(r.sequenceGaps()).hasSize(1);
      assertThat(r.findings()).contains("records 3..3 missing");
      assertThat(j.append(7, payload(6))).isEqualTo(6);
    }
    // The journal was rewritten without the bad bytes: the next open is clean.
    try (Journal j = Journal.open(file())) {
      assertThat(j.recovery().quarantined()).isEmpty();
      assertThat(j.recovery().tornTailBytes()).isZero();
    }
    assertThat(Files.size(file())).isEqualTo(at[6] - (at[4] - at[3]) + 24 + payload(6).length);
  }

  @Test
  void aDestroyedFrameHeaderAndGarbageInsertedBetweenFramesAreBothSkipped() throws IOException {
    write(6);
    long[] at = frameOffsets(6);
    byte[] bytes = Files.readAllBytes(file());
    Arrays.fill(bytes, (int) at[2], (int) at[2] + 4, (byte) 0); // record 2's magic is gone
    byte[] garbage = "not a frame at all".getBytes(UTF_8);
    byte[] withGarbage = new byte[bytes.length + garbage.length];
    System.arraycopy(bytes, 0, withGarbage, 0, (int) at[5]);
    System.arraycopy(garbage, 0, withGarbage, (int) at[5], garbage.length);
    System.arraycopy(bytes, (int) at[5], withGarbage, (int) at[5] + garbage.length, bytes.length - (int) at[5]);
    Files.write(file(), withGarbage);

    List<Long> seqs = new ArrayList<>();
    try (Journal j = Journal.open(file(), Journal.options().build(), f -> seqs.add(f.seq()))) {
      assertThat(seqs).containsExactly(1L, 3L, 4L, 5L, 6L);
      assertThat(j.recovery().quarantined()).extracting(RecoveryReport.Quarantined::offset, RecoveryReport.Quarantined::length)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(at[2], at[3] - at[2]),
              org.assertj.core.groups.Tuple.tuple(at[5], (long) garbage.length));
    }
    assertThat(reopen()).containsExactly(1L, 3L, 4L, 5L, 6L);
  }

  @Test
  void readingLeavesTheFileAlone() throws IOException {
    write(3);
    long[] at = frameOffsets(3);
    byte[] bytes = Files.readAllBytes(file());
    bytes[(int) at[2] + 25] ^= 1;
    byte[] torn = Arrays.copyOf(bytes, bytes.length - 5);
    Files.write(file(), torn);

    List<Long> seqs = new ArrayList<>();
    RecoveryReport r = Journal.read(file(), f -> seqs.add(f.seq()));

    assertThat(seqs).containsExactly(1L);
    assertThat(r.isReadOnly()).isTrue();
    assertThat(r.tornTailBytes()).isEqualTo(torn.length - at[2]); // nothing valid after record 1
    assertThat(Files.readAllBytes(file())).isEqualTo(torn);
    assertThat(r.findings()).allMatch(s -> s.contains("left alone"));
  }

  @Test
  void aFileThatIsNotAJournalIsRefusedAndLeftAlone() throws IOException {
    Files.writeString(file(), "these are somebody's notes, not a journal\n");

    assertThatThrownBy(() -> Journal.open(file())).isInstanceOf(JournalException.class)
        .hasMessageContaining(file().toString()).hasMessageContaining("not a finops journal");
    assertThat(Files.readString(file())).startsWith("these are");
  }

  @Test
  void aHeaderTornAtCreationIsWrittenAgain() throws IOException {
    write(0);
    Files.write(file(), Arrays.copyOf(Files.readAllBytes(file()), 5));

    try (Journal j = Journal.open(file())) {
      assertThat(j.append(7, payload(1))).isEqualTo(1);
    }
    assertThat(reopen()).containsExactly(1L);
  }

  @Test
  void oneWriterAtATime() {
    try (Journal first = Journal.open(file())) {
      assertThatThrownBy(() -> Journal.open(file())).isInstanceOf(JournalException.class)
          .hasMessageContaining("in use by another writer");
    }
    try (Journal again = Journal.open(file())) {
      assertThat(again.lastSeq()).isZero();
    }
  }

  @Test
  void afterAFailedForceTheJournalRefusesRecordsAndReopeningRecoversWhatIsOnDisk() {
    FaultyChannel.Faults faults = new FaultyChannel.Faults();
    Journal j = Journal.open(file(), Journal.options().opener(faults.opener()).build(), f -> { });
    j.append(7, payload(1));
    j.append(7, payload(2));

    faults.failForce = true;
    assertThatThrownBy(() -> j.append(7, payload(3))).isInstanceOf(JournalFailedException.class)
        .hasMessageContaining("stopped after an I/O error").hasMessageContaining("injected");
    faults.failForce = false; // a retry might "succeed" without the data: it must not be tried
    assertThat(j.isFailed()).isTrue();
    assertThatThrownBy(() -> j.append(7, payload(4))).isInstanceOf(JournalFailedException.class);
    assertThatThrownBy(j::force).isInstanceOf(JournalFailedException.class);
    j.close();

    // Record 3 was written before its force failed; it is on disk (the page cache survived here).
    assertThat(reopen()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void syncEachForcesEveryRecordAndOsBufferedOnlyWhenAsked() {
    FaultyChannel.Faults sync = new FaultyChannel.Faults();
    try (Journal j = Journal.open(file(), Journal.options().opener(sync.opener()).build(), f -> { })) {
      int before = sync.forces.get();
      for (int i = 1; i <= 5; i++) {
        j.append(7, payload(i));
      }
      assertThat(sync.forces.get() - before).isEqualTo(5);
    }

    FaultyChannel.Faults buffered = new FaultyChannel.Faults();
    try (Journal j = Journal.open(file(), Journal.options().durability(DurabilityMode.OS_BUFFERED)
        .opener(buffered.opener()).build(), f -> { })) {
      int before = buffered.forces.get();
      for (int i = 6; i <= 10; i++) {
        j.append(7, payload(i));
      }
      assertThat(buffered.forces.get() - before).isZero();
      j.force();
      assertThat(buffered.forces.get() - before).isEqualTo(1);
    }
    assertThat(reopen()).hasSize(10);
  }

  /** A payload of fixed length, so frame {@code seq} ends at {@link #fixedFrameEnd}. */
  private static byte[] fixedPayload(long seq) {
    return String.format("{\"record\":%08d}", seq).getBytes(UTF_8);
  }

  /** Where frame {@code seq} of fixed payloads ends: file header 16 bytes, frame header 24 bytes. */
  private static long fixedFrameEnd(long seq) {
    return 16 + seq * (24 + fixedPayload(0).length);
  }

  private static Journal groupCommit(Path file, FaultyChannel.Faults faults, java.time.Duration interval) {
    return Journal.open(file, Journal.options().durability(DurabilityMode.GROUP_COMMIT).groupCommitInterval(interval)
        .opener(faults.opener()).build(), f -> { });
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void groupCommitAppendReturnsOnlyAfterAForceCoversItAndWritersWaitingMeanwhileShareOneForce() throws Exception {
    FaultyChannel.Faults faults = new FaultyChannel.Faults();
    java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    try (Journal j = groupCommit(file(), faults, java.time.Duration.ofMillis(20))) {
      int before = faults.forces.get();
      faults.forceStarted.drainPermits();
      faults.holdForces = hold;
      java.util.concurrent.Callable<long[]> append = () -> {
        long seq = j.append(7, fixedPayload(j.lastSeq() + 1));
        return new long[] {seq, faults.forcedBytes.get()};
      };

      java.util.concurrent.Future<long[]> first = writers.submit(append);
      // its force has started and is held by the disk: the append has not returned
      assertThat(faults.forceStarted.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      Thread.sleep(50);
      assertThat(first.isDone()).isFalse();

      // three more writers meanwhile: written, waiting for the next force
      List<java.util.concurrent.Future<long[]>> group = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        group.add(writers.submit(append));
      }
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (j.lastSeq() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(j.lastSeq()).isEqualTo(4);
      Thread.sleep(50);
      assertThat(first.isDone()).isFalse();
      assertThat(group).noneMatch(java.util.concurrent.Future::isDone);

      faults.holdForces = null;
      hold.countDown();

      List<long[]> done = new ArrayList<>();
      done.add(first.get(5, java.util.concurrent.TimeUnit.SECONDS));
      for (java.util.concurrent.Future<long[]> f : group) {
        done.add(f.get(5, java.util.concurrent.TimeUnit.SECONDS));
      }
      // when each append returned, a completed force covered its frame
      assertThat(done).allSatisfy(r -> assertThat(r[1]).isGreaterThanOrEqualTo(fixedFrameEnd(r[0])));
      // one force for the first writer, one shared by the three that waited
      assertThat(faults.forces.get() - before).isEqualTo(2);
    } finally {
      faults.holdForces = null;
      hold.countDown(); // never leave a force held: close() would wait for it
      writers.shutdownNow();
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void whatGroupCommitAppendsReturnedIsInTheFileAsForcedWhenTheMachineDies() throws Exception {
    FaultyChannel.Faults faults = new FaultyChannel.Faults();
    java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
    // a long interval: a background flush, as before, would not have forced anything by the "crash"
    try (Journal j = groupCommit(file(), faults, java.time.Duration.ofSeconds(30))) {
      java.util.Set<Long> returned = java.util.concurrent.ConcurrentHashMap.newKeySet();
      List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        fs.add(writers.submit(() -> {
          for (int i = 0; i < 25; i++) {
            returned.add(j.append(7, fixedPayload(0)));
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : fs) {
        f.get(20, java.util.concurrent.TimeUnit.SECONDS);
      }

      // The power fails now: the device holds what the last completed force covered, nothing after.
      Path crashed = dir.resolve("crashed.log");
      Files.write(crashed, Arrays.copyOf(Files.readAllBytes(file()), (int) faults.forcedBytes.get()));
      List<Long> survived = new ArrayList<>();
      Journal.read(crashed, f -> survived.add(f.seq()));

      assertThat(returned).hasSize(100);
      assertThat(survived).containsAll(returned);
      // and the writers shared forces: fewer than one per record
      assertThat(faults.forces.get()).isLessThan(100);
    } finally {
      writers.shutdownNow();
    }
  }

  @Test
  void osBufferedAppendsDoNotWaitForAnyForce() {
    FaultyChannel.Faults faults = new FaultyChannel.Faults();
    try (Journal j = Journal.open(file(), Journal.options().durability(DurabilityMode.OS_BUFFERED)
        .opener(faults.opener()).build(), f -> { })) {
      int before = faults.forces.get();
      faults.holdForces = new java.util.concurrent.CountDownLatch(1); // a force would hang the test
      for (int i = 1; i <= 50; i++) {
        j.append(7, payload(i));
      }
      assertThat(faults.forces.get() - before).isZero();
      faults.holdForces = null;
    }
    assertThat(reopen()).hasSize(50);
  }

  @ParameterizedTest
  @EnumSource(DurabilityMode.class)
  void everyModeSurvivesCloseAndReopen(DurabilityMode mode) {
    try (Journal j = Journal.open(file(), Journal.options().durability(mode).build(), f -> { })) {
      for (int i = 1; i <= 20; i++) {
        j.append(7, payload(i));
      }
      assertThat(j.durability()).isEqualTo(mode);
    }
    assertThat(reopen()).hasSize(20);
  }

  @Test
  void aRunRestartedOnAnEmptyDiskContinuesFromTheMirror() throws IOException {
    Path mirror = dir.resolve("shared").resolve("j.log");
    try (Journal j = Journal.open(file(), Journal.options().mirror(mirror).build(), f -> { })) {
      for (int i = 1; i <= 4; i++) {
        j.append(7, payload(i));
      }
      assertThat(j.mirrorError()).isNull();
    }
    assertThat(Files.readAllBytes(mirror)).isEqualTo(Files.readAllBytes(file()));

    Files.delete(file()); // the spot VM's disk is gone
    List<Long> seqs = new ArrayList<>();
    try (Journal j = Journal.open(file(), Journal.options().mirror(mirror).build(), f -> seqs.add(f.seq()))) {
      assertThat(j.recovery().restoredFromMirror()).isEqualTo(4);
      assertThat(j.append(7, payload(5))).isEqualTo(5);
    }
    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L);
    assertThat(Files.readAllBytes(mirror)).isEqualTo(Files.readAllBytes(file()));
  }

  @Test
  void aMirrorThatIsBehindIsBroughtUpToDateAndAMirrorThatFailsDoesNotStopTheJournal() throws IOException {
    write(3);
    Path mirror = dir.resolve("shared").resolve("j.log");
    try (Journal j = Journal.open(file(), Journal.options().mirror(mirror).build(), f -> { })) {
      assertThat(j.recovery().copiedToMirror()).isEqualTo(3);
    }
    assertThat(Files.readAllBytes(mirror)).isEqualTo(Files.readAllBytes(file()));

    Path blocked = dir.resolve("not-a-dir");
    Files.writeString(blocked, "a file where the mirror's directory should be");
    try (Journal j = Journal.open(file(), Journal.options().mirror(blocked.resolve("j.log")).build(), f -> { })) {
      assertThat(j.mirrorError()).contains("unavailable");
      assertThat(j.append(7, payload(4))).isEqualTo(4);
    }
    assertThat(reopen()).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void payloadsAreBoundedAndTypesAreBytes() {
    try (Journal j = Journal.open(file())) {
      assertThatThrownBy(() -> j.append(256, new byte[0])).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> j.append(1, new byte[Journal.MAX_PAYLOAD + 1]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
      assertThat(j.append(255, new byte[0])).isEqualTo(1);
    }
    List<String> types = new ArrayList<>();
    Journal.read(file(), f -> types.add(f.type() + ":" + f.payload().length));
    assertThat(types.stream().collect(Collectors.joining(","))).isEqualTo("255:0");
  }
}
