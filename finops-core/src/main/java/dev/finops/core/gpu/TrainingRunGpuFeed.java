package dev.finops.core.gpu;

import dev.finops.core.training.TrainingRun;
import dev.finops.core.training.UtilizationBasis;
import java.util.List;
import java.util.Objects;

/**
 * Feeds a {@link TrainingRun} the measured utilization of its GPUs, so its report has measured
 * effective and idle cost: each round of samples becomes one {@link TrainingRun#utilization(long,
 * int)} call with the mean utilization of the selected GPUs, in basis points, at the round's time.
 *
 * <pre>{@code
 * try (TrainingRun run = finops.trainingRun("ft-42").hardware(hw).start();
 *     TrainingRunGpuFeed feed = TrainingRunGpuFeed.attach(sampler, run, GpuSelection.gpus(uuids))) {
 *   train();
 *   run.report().effectiveCostPerUsefulGpuHour();
 * }
 * }</pre>
 *
 * <p>Which utilization: each GPU's {@link GpuSample#computeUtilizationBasisPoints()}, GPM's SM
 * activity where the GPU has GPM (Hopper and later), NVML's time-based utilization otherwise; the run
 * is told {@link UtilizationBasis#GPM_SM_ACTIVITY} when every GPU of the round gave SM activity, and
 * {@link UtilizationBasis#NVML_KERNEL_TIME} otherwise.
 *
 * <p>How a round becomes one number: each selected GPU contributes its utilization in basis points,
 * times the selection's share of it (whole GPU, or this process's share); a lost GPU contributes 0
 * (it is still paid for and does no work); a GPU without a utilization reading (MIG mode, a source
 * that cannot read it) or without the process data its share needs is left out; the mean is rounded
 * to the nearest basis point. A round with no GPU left is not fed. The feed detaches itself once the
 * run is closed. Thread-safe.
 */
public final class TrainingRunGpuFeed implements GpuSampleSource.Listener, AutoCloseable {

  private final GpuSampleSource source;
  private final TrainingRun run;
  private final GpuSelection selection;

  private TrainingRunGpuFeed(GpuSampleSource source, TrainingRun run, GpuSelection selection) {
    this.source = Objects.requireNonNull(source, "source");
    this.run = Objects.requireNonNull(run, "run");
    this.selection = Objects.requireNonNull(selection, "selection");
  }

  /** Starts feeding {@code run} from every later round of {@code source}. */
  public static TrainingRunGpuFeed attach(GpuSampleSource source, TrainingRun run, GpuSelection selection) {
    TrainingRunGpuFeed feed = new TrainingRunGpuFeed(source, run, selection);
    source.addListener(feed);
    return feed;
  }

  /**
   * The mean utilization of {@code selection}'s GPUs in {@code round}, in basis points (0..10000), or
   * {@link GpuSample#ABSENT} if no selected GPU has a reading; the rule is in the class comment.
   */
  public static int meanBasisPoints(List<GpuSample> round, GpuSelection selection) {
    long sum = 0;
    int n = 0;
    for (GpuSample s : round) {
      if (!selection.includes(s)) {
        continue;
      }
      if (s.isLost()) {
        n++;
        continue;
      }
      int share = selection.shareBasisPoints(s);
      int bp = s.computeUtilizationBasisPoints();
      if (bp == GpuSample.ABSENT || share == GpuSample.ABSENT) {
        continue;
      }
      // bp × share (bp) / 10000 = basis points of the device that were this selection's work
      sum += ((long) bp * share + 5_000) / 10_000;
      n++;
    }
    return n == 0 ? GpuSample.ABSENT : (int) ((sum + n / 2) / n);
  }

  /** What {@link #meanBasisPoints} measured for {@code round}: GPM SM activity only if every GPU it used had it. */
  public static UtilizationBasis basis(List<GpuSample> round, GpuSelection selection) {
    UtilizationBasis basis = UtilizationBasis.NONE;
    for (GpuSample s : round) {
      if (!selection.includes(s) || s.isLost() || s.computeUtilizationBasis() == UtilizationBasis.NONE) {
        continue;
      }
      if (s.computeUtilizationBasis() == UtilizationBasis.NVML_KERNEL_TIME) {
        return UtilizationBasis.NVML_KERNEL_TIME;
      }
      basis = UtilizationBasis.GPM_SM_ACTIVITY;
    }
    return basis == UtilizationBasis.NONE ? UtilizationBasis.NVML_KERNEL_TIME : basis;
  }

  @Override
  public void onSamples(List<GpuSample> round) {
    if (round.isEmpty()) {
      return;
    }
    if (run.isClosed()) {
      close();
      return;
    }
    int bp = meanBasisPoints(round, selection);
    if (bp == GpuSample.ABSENT) {
      return;
    }
    try {
      run.utilization(round.get(0).epochMillis(), bp, basis(round, selection));
    } catch (IllegalStateException closedMeanwhile) {
      close();
    }
  }

  /** Stops feeding the run. Idempotent. */
  @Override
  public void close() {
    source.removeListener(this);
  }

  @Override
  public String toString() {
    return "TrainingRunGpuFeed{" + run.runId() + ", " + selection + "}";
  }
}
