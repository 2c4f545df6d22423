/**
 * Spot capacity: {@link dev.finops.core.spot.InterruptionWatcher} polls AWS's, GCP's and Azure's
 * metadata services for an interruption notice and tells an {@link dev.finops.core.spot.InterruptionListener}
 * (a training run's, which makes the bill durable); {@link dev.finops.core.spot.SpotEconomics} says
 * what a run saved on spot net of lost work and restarts, and {@link dev.finops.core.spot.SpotPlan}
 * estimates a planned run's expected cost on spot from an interruption rate.
 *
 * <p>Spot economics live here rather than in {@code dev.finops.core.journal}: a plan needs no
 * journal, and a run's figures come from its journal ({@code RunState.spotEconomics()}) or its
 * report ({@code TrainingRunReport.spotEconomics()}).
 */
package dev.finops.core.spot;
