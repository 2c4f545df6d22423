package dev.finops.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file is written whole or not at all. */
class AtomicFilesTest {

  @TempDir
  Path dir;

  private long filesIn(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }

  @Test
  void aFailureHalfWayLeavesNoFileAndNoTemporaryFile() throws IOException {
    Path target = dir.resolve("focus.csv");

    assertThatThrownBy(() -> AtomicFiles.write(target, w -> {
      w.write("BilledCost\n1.5\n");
      throw new IOException("disk full");
    })).hasMessage("disk full");

    assertThat(target).doesNotExist();
    assertThat(filesIn(dir)).isZero();
  }

  @Test
  void aFailureLeavesThePreviousFileAsItWas() throws IOException {
    Path target = dir.resolve("focus.csv");
    Files.writeString(target, "previous");

    assertThatThrownBy(() -> AtomicFiles.write(target, w -> {
      w.write("half");
      throw new IllegalStateException("boom");
    })).hasMessage("boom");

    assertThat(target).hasContent("previous");
    assertThat(filesIn(dir)).isEqualTo(1);
  }

  @Test
  void successReplacesTheFile() throws IOException {
    Path target = dir.resolve("focus.csv");
    Files.writeString(target, "previous");

    AtomicFiles.write(target, w -> w.write("new"));

    assertThat(target).hasContent("new");
    assertThat(filesIn(dir)).isEqualTo(1);
  }
}
