package dev.finops.advisor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Two-dimensional bin packing of GPU workloads (memory in MiB, compute in per mille of one GPU) onto as
 * few GPUs as possible. Up to {@value #EXACT_LIMIT} items the packing is optimal (dynamic programming
 * over subsets); beyond, first-fit decreasing, which may use more GPUs than the optimum.
 */
public final class Packing {

  /** Largest item count packed exactly (3^n subset steps: about 4.8 million at 14). */
  public static final int EXACT_LIMIT = 14;

  private Packing() {}

  /** The result: {@code bins.get(b)} holds the indexes of the items on GPU {@code b}. */
  public record Result(List<List<Integer>> bins, boolean optimal) {
    public Result {
      bins = List.copyOf(bins);
    }
  }

  /**
   * Packs the items; each must fit alone ({@code memory[i] <= memoryCapacity}, {@code compute[i] <=
   * computeCapacity}).
   */
  public static Result pack(long[] memory, int[] compute, long memoryCapacity, int computeCapacity) {
    int n = memory.length;
    if (compute.length != n) {
      throw new IllegalArgumentException("memory and compute differ in length");
    }
    for (int i = 0; i < n; i++) {
      if (memory[i] < 0 || compute[i] < 0 || memory[i] > memoryCapacity || compute[i] > computeCapacity) {
        throw new IllegalArgumentException("item " + i + " does not fit one GPU");
      }
    }
    return n <= EXACT_LIMIT ? exact(memory, compute, memoryCapacity, computeCapacity)
        : firstFitDecreasing(memory, compute, memoryCapacity, computeCapacity);
  }

  static Result exact(long[] memory, int[] compute, long memoryCapacity, int computeCapacity) {
    int n = memory.length;
    int full = (1 << n) - 1;
    boolean[] fits = new boolean[1 << n];
    long[] mem = new long[1 << n];
    long[] cpu = new long[1 << n];
    fits[0] = true;
    for (int mask = 1; mask <= full; mask++) {
      int low = Integer.numberOfTrailingZeros(mask);
      int rest = mask & (mask - 1);
      mem[mask] = mem[rest] + memory[low];
      cpu[mask] = cpu[rest] + compute[low];
      fits[mask] = mem[mask] <= memoryCapacity && cpu[mask] <= computeCapacity;
    }
    int[] best = new int[1 << n];
    int[] choice = new int[1 << n];
    for (int mask = 1; mask <= full; mask++) {
      int low = mask & -mask;
      int others = mask ^ low;
      best[mask] = Integer.MAX_VALUE;
      // every bin holding the lowest item: low plus a subset of the others
      for (int sub = others; ; sub = (sub - 1) & others) {
        int bin = sub | low;
        if (fits[bin] && best[mask ^ bin] + 1 < best[mask]) {
          best[mask] = best[mask ^ bin] + 1;
          choice[mask] = bin;
        }
        if (sub == 0) {
          break;
        }
      }
    }
    List<List<Integer>> bins = new ArrayList<>();
    for (int mask = full; mask != 0; mask ^= choice[mask]) {
      List<Integer> bin = new ArrayList<>();
      for (int b = choice[mask]; b != 0; b &= b - 1) {
        bin.add(Integer.numberOfTrailingZeros(b));
      }
      bins.add(bin);
    }
    return new Result(bins, true);
  }

  static Result firstFitDecreasing(long[] memory, int[] compute, long memoryCapacity, int computeCapacity) {
    int n = memory.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> Math.max(
        (double) memory[i] / Math.max(1, memoryCapacity), (double) compute[i] / Math.max(1, computeCapacity)))
        .reversed().thenComparing(i -> i));
    List<List<Integer>> bins = new ArrayList<>();
    List<long[]> loads = new ArrayList<>();
    for (int i : order) {
      int placed = -1;
      for (int b = 0; b < bins.size(); b++) {
        long[] load = loads.get(b);
        if (load[0] + memory[i] <= memoryCapacity && load[1] + compute[i] <= computeCapacity) {
          placed = b;
          break;
        }
      }
      if (placed < 0) {
        bins.add(new ArrayList<>());
        loads.add(new long[2]);
        placed = bins.size() - 1;
      }
      bins.get(placed).add(i);
      loads.get(placed)[0] += memory[i];
      loads.get(placed)[1] += compute[i];
    }
    for (List<Integer> bin : bins) {
      bin.sort(null);
    }
    return new Result(bins, n <= 1);
  }
}
