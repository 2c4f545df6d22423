/**
 * Exact cost allocation: {@link dev.finops.core.allocation.Allocation} splits an amount by weights
 * into parts that add up to it exactly in the smallest unit (largest-remainder apportionment).
 *
 * <p>{@link dev.finops.core.allocation.EndpointCostAllocator} splits a self-hosted endpoint's GPU
 * cost over its requests, by tokens or by caller-supplied complexity, and derives per-request figures.
 */
package dev.finops.core.allocation;
