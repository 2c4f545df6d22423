package dev.finops.advisor;

import dev.finops.core.Money;
import dev.finops.core.catalog.GpuInstance;
import java.util.List;

/**
 * What {@link EndpointAdvisor} found for one inference endpoint. Immutable.
 *
 * @param instance the instance one replica runs on
 * @param replicaHour the catalog price of one replica-hour, exact
 * @param currentReplicas the fixed replica count it runs today
 * @param sliceSeconds the length of a time slice
 * @param windowStartMillis the start of the first slice
 * @param replicasPerSlice the replicas each slice needs on the current instance for the throughput target
 * @param requestsPerSlice the requests that arrived in each slice
 * @param currentMonthlyCost the fixed fleet over a month of {@value Advisor#HOURS_PER_MONTH} hours
 * @param advisedMonthlyCost after the counted recommendations
 * @param coldStartsPerMonth cold starts that scale-to-zero adds, per month (0 without it)
 * @param meanBatchSize the mean batch the arrivals form within the batching window (1 without batching)
 * @param recommendations autoscaling, scale-to-zero, then the best alternative (batching, a quantized model
 *     or another GPU), each saving on top of the previous ones
 * @param totalMonthlySaving {@code currentMonthlyCost - advisedMonthlyCost}
 * @param excluded the alternatives left out, each with why (a GPU too slow per token for the latency target)
 */
public record EndpointAdvice(
    GpuInstance instance, Money replicaHour, int currentReplicas, int sliceSeconds, long windowStartMillis,
    List<Integer> replicasPerSlice, List<Integer> requestsPerSlice, Money currentMonthlyCost, Money advisedMonthlyCost,
    double coldStartsPerMonth, double meanBatchSize, List<Recommendation> recommendations, Money totalMonthlySaving,
    List<String> excluded) {

  public EndpointAdvice {
    replicasPerSlice = List.copyOf(replicasPerSlice);
    requestsPerSlice = List.copyOf(requestsPerSlice);
    recommendations = List.copyOf(recommendations);
    excluded = List.copyOf(excluded);
  }

  /** The most replicas any slice needs. */
  public int peakReplicas() {
    return replicasPerSlice.stream().mapToInt(Integer::intValue).max().orElse(0);
  }
}
