/**
 * Training runs as cost objects: hardware, steps, measured utilization, GPU time booked into the
 * ledger as it accrues, journaled resume after preemption, and the run report.
 */
package dev.finops.core.training;
