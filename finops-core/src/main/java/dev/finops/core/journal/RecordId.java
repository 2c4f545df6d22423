package dev.finops.core.journal;

import java.util.Objects;

/**
 * The deterministic id of a run record, {@code run/attempt/sequence} ({@code ft-42/3/1207}): the same
 * record always has the same id, in the local journal, in its mirror and in any export, so a consumer
 * that keeps the ids it has seen never counts a record twice. Sequence numbers increase across the
 * attempts of a run and are never reused.
 */
public record RecordId(String runId, int attempt, long seq) {

  public RecordId {
    Objects.requireNonNull(runId, "runId");
  }

  /** Parses {@code run/attempt/sequence}; the run id may not contain {@code /}. */
  public static RecordId parse(String id) {
    int b = id.lastIndexOf('/');
    int a = b <= 0 ? -1 : id.lastIndexOf('/', b - 1);
    if (a <= 0) {
      throw new IllegalArgumentException("not a record id (run/attempt/sequence): " + id);
    }
    return new RecordId(id.substring(0, a), Integer.parseInt(id.substring(a + 1, b)), Long.parseLong(id.substring(b + 1)));
  }

  @Override
  public String toString() {
    return runId + "/" + attempt + "/" + seq;
  }
}
