package dev.finops.core.gpu;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * Which GPUs a cost feed reads, and whether it counts whole devices or only one process's share of
 * them (see {@link GpuSample#processShareBasisPoints(long)} for how a shared GPU is split). Devices
 * are named by UUID, which, unlike the index, is stable across reboots. Immutable.
 *
 * <pre>{@code
 * GpuSelection.gpus("GPU-5f1c...", "GPU-9a07...")   // two whole GPUs
 * GpuSelection.all().thisProcessOnly()             // this JVM's share of every GPU it uses
 * }</pre>
 */
public final class GpuSelection {

  private static final long WHOLE_DEVICES = -1;
  private static final GpuSelection ALL = new GpuSelection(Set.of(), WHOLE_DEVICES);

  private final Set<String> uuids; // empty = every device
  private final long pid;

  private GpuSelection(Set<String> uuids, long pid) {
    this.uuids = uuids;
    this.pid = pid;
  }

  /** Every device of the source, whole. */
  public static GpuSelection all() {
    return ALL;
  }

  /** The devices with these UUIDs, whole. */
  public static GpuSelection gpus(String... uuids) {
    return gpus(Arrays.asList(uuids));
  }

  /** The devices with these UUIDs, whole. */
  public static GpuSelection gpus(Collection<String> uuids) {
    if (uuids.isEmpty()) {
      throw new IllegalArgumentException("name at least one GPU UUID, or use GpuSelection.all()");
    }
    return new GpuSelection(Set.copyOf(uuids), WHOLE_DEVICES);
  }

  /** The same devices, counting only this JVM's share of each. */
  public GpuSelection thisProcessOnly() {
    return process(ProcessHandle.current().pid());
  }

  /** The same devices, counting only process {@code pid}'s share of each. */
  public GpuSelection process(long pid) {
    if (pid < 0) {
      throw new IllegalArgumentException("pid must not be negative: " + pid);
    }
    return new GpuSelection(uuids, pid);
  }

  /** True if the selection reads {@code sample}'s device. */
  public boolean includes(GpuSample sample) {
    return uuids.isEmpty() || uuids.contains(sample.uuid());
  }

  /**
   * The part of {@code sample}'s device that is the selection's, in basis points: 10000 for whole
   * devices, the process's share otherwise ({@link GpuSample#ABSENT} when the sample has no process
   * data to split it by).
   */
  public int shareBasisPoints(GpuSample sample) {
    return pid == WHOLE_DEVICES ? 10_000 : sample.processShareBasisPoints(pid);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GpuSelection && ((GpuSelection) o).pid == pid && ((GpuSelection) o).uuids.equals(uuids);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uuids, pid);
  }

  @Override
  public String toString() {
    return (uuids.isEmpty() ? "all GPUs" : "GPUs " + uuids) + (pid == WHOLE_DEVICES ? "" : ", process " + pid);
  }
}
