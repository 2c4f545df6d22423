package dev.finops.core.journal;

/** What a run record says; the code is the frame's record type byte. */
public enum RecordType {
  /** An attempt of the run started (the first, or a resume after an interruption). */
  ATTEMPT_STARTED(1, "attempt_started"),
  /** Progress: GPU time, steps, epochs, checkpoints, utilization. */
  PROGRESS(2, "progress"),
  /** An interruption notice arrived; the GPU time up to it is booked and forced. */
  INTERRUPTION(3, "interruption"),
  /** The attempt ended on purpose and the run can resume ({@code TrainingRun.suspend()}). */
  ATTEMPT_SUSPENDED(4, "attempt_suspended"),
  /** The run finished; it cannot resume. */
  RUN_CLOSED(5, "run_closed");

  private final int code;
  private final String jsonName;

  RecordType(int code, String jsonName) {
    this.code = code;
    this.jsonName = jsonName;
  }

  /** The frame's record type byte. */
  public int code() {
    return code;
  }

  public String jsonName() {
    return jsonName;
  }

  /** The type with this code, or {@code null}. */
  public static RecordType ofCode(int code) {
    for (RecordType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
