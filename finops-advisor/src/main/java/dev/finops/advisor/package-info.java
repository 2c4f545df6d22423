/**
 * The advisor: recommendations computed from measured usage, each with its evidence, its assumption and
 * a monthly saving priced exactly from the catalog ({@link dev.finops.core.Money}, never a double).
 * {@link dev.finops.advisor.UtilizationAdvisor} right-sizes and consolidates GPUs from utilization series
 * ({@link dev.finops.advisor.UtilizationReader} reads DCGM-shaped CSV); {@link dev.finops.advisor.EndpointAdvisor}
 * sizes an inference endpoint from its {@link dev.finops.advisor.RequestLog}; {@link dev.finops.advisor.SpotRisk}
 * estimates spot interruption rates from run journals and {@link dev.finops.advisor.SpotAdvice} the
 * Young/Daly checkpoint interval, which {@link dev.finops.advisor.CheckpointSchedule} applies to a
 * {@code TrainingRun}; {@link dev.finops.advisor.DemandForecast} forecasts requests, tokens and spend per hour
 * ({@link dev.finops.advisor.SeasonalForecast}, backtested against seasonal-naive) and budget run-out;
 * {@link dev.finops.advisor.TrainingPlanner} ranks every instance × purchase option × count for a training run. Statistics (means, quantiles) may
 * be doubles; money never is.
 */
package dev.finops.advisor;
