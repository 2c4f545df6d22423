package dev.finops.advisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PackingTest {

  /** Brute force: tries every set partition of the items and keeps the fewest feasible bins. */
  private static int bruteForceBins(long[] mem, int[] cpu, long memCap, int cpuCap) {
    return partition(0, mem, cpu, memCap, cpuCap, new ArrayList<>());
  }

  private static int partition(int item, long[] mem, int[] cpu, long memCap, int cpuCap, List<long[]> bins) {
    if (item == mem.length) {
      return bins.size();
    }
    int best = Integer.MAX_VALUE;
    for (int b = 0, size = bins.size(); b < size; b++) {
      long[] bin = bins.get(b);
      if (bin[0] + mem[item] <= memCap && bin[1] + cpu[item] <= cpuCap) {
        bin[0] += mem[item];
        bin[1] += cpu[item];
        best = Math.min(best, partition(item + 1, mem, cpu, memCap, cpuCap, bins));
        bin[0] -= mem[item];
        bin[1] -= cpu[item];
      }
    }
    bins.add(new long[] {mem[item], cpu[item]});
    best = Math.min(best, partition(item + 1, mem, cpu, memCap, cpuCap, bins));
    bins.remove(bins.size() - 1);
    return best;
  }

  @Test
  void exactPackingEqualsBruteForceOnRandomSmallCases() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      int n = 1 + random.nextInt(9);
      long memCap = 40_000;
      long[] mem = new long[n];
      int[] cpu = new int[n];
      for (int i = 0; i < n; i++) {
        mem[i] = random.nextInt(round % 2 == 0 ? 40_001 : 20_000);
        cpu[i] = random.nextInt(round % 3 == 0 ? 1001 : 600);
      }
      Packing.Result r = Packing.pack(mem, cpu, memCap, 1000);
      assertThat(r.optimal()).isTrue();
      assertThat(r.bins()).hasSize(bruteForceBins(mem, cpu, memCap, 1000));
      assertValid(r, mem, cpu, memCap, 1000);
    }
  }

  @Test
  void knownCase_threeQuarterGpusPairUp() {
    // four workloads of 30 % / 10 GB and one of 80 % / 10 GB on 40 GB GPUs: 30+30+30 = 90 fits, the 80 % goes alone
    long[] mem = {10_000, 10_000, 10_000, 10_000, 10_000};
    int[] cpu = {300, 300, 300, 300, 800};
    Packing.Result r = Packing.pack(mem, cpu, 40_000, 1000);
    assertThat(r.bins()).hasSize(bruteForceBins(mem, cpu, 40_000, 1000)).hasSize(3);
  }

  @Test
  void firstFitDecreasingIsValidAndNeverWorseThanOneGpuEach() {
    Random random = new Random(7);
    int n = 40;
    long[] mem = new long[n];
    int[] cpu = new int[n];
    for (int i = 0; i < n; i++) {
      mem[i] = random.nextInt(20_000);
      cpu[i] = random.nextInt(500);
    }
    Packing.Result r = Packing.pack(mem, cpu, 40_000, 1000);
    assertThat(r.optimal()).isFalse();
    assertValid(r, mem, cpu, 40_000, 1000);
    long memSum = 0;
    long cpuSum = 0;
    for (int i = 0; i < n; i++) {
      memSum += mem[i];
      cpuSum += cpu[i];
    }
    long lowerBound = Math.max((memSum + 39_999) / 40_000, (cpuSum + 999) / 1000);
    assertThat(r.bins().size()).isBetween((int) lowerBound, n - 1);
  }

  private static void assertValid(Packing.Result r, long[] mem, int[] cpu, long memCap, int cpuCap) {
    Set<Integer> seen = new HashSet<>();
    for (List<Integer> bin : r.bins()) {
      long m = 0;
      long c = 0;
      for (int i : bin) {
        assertThat(seen.add(i)).as("item %d packed twice", i).isTrue();
        m += mem[i];
        c += cpu[i];
      }
      assertThat(m).isLessThanOrEqualTo(memCap);
      assertThat(c).isLessThanOrEqualTo(cpuCap);
    }
    assertThat(seen).hasSize(mem.length);
  }
}
