package dev.finops.core.budget;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link BudgetManager} has done, counted as it happens; {@link BudgetManager.Stats} is a
 * snapshot of it. Amounts of money are {@link SaturatingSum}s: past {@link Long#MAX_VALUE} pico-units
 * they stay there instead of wrapping negative.
 */
final class BudgetCounters {
  final LongAdder denied = new LongAdder();
  final LongAdder throttled = new LongAdder();
  final LongAdder unknownRefused = new LongAdder();
  final LongAdder unknownAdmitted = new LongAdder();
  final LongAdder settled = new LongAdder();
  final LongAdder released = new LongAdder();
  final LongAdder expired = new LongAdder();
  final LongAdder lateFinishes = new LongAdder();
  final LongAdder unpricedSettlements = new LongAdder();
  final SaturatingSum overrunPico = new SaturatingSum();
  final LongAdder unreservedRecords = new LongAdder();
  final SaturatingSum unreservedPico = new SaturatingSum();
  final LongAdder recordProblems = new LongAdder();
  final LongAdder terminations = new LongAdder();
}
