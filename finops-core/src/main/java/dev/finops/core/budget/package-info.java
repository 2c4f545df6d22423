/**
 * Real-time budget controls: {@link dev.finops.core.budget.Budget}s on tag scopes (org, team, project,
 * experiment, run, model, endpoint, customer) over lifetime, calendar and rolling windows, enforced by
 * the {@link dev.finops.core.budget.BudgetManager}: reserve an upper-bound estimate on every budget of
 * the scope chain at once (all or nothing, lock-free), settle to the actual cost exactly once, release
 * on failure, expire what is forgotten; NOTIFY, THROTTLE, DENY and TERMINATE as spend approaches a
 * limit; GPU work in renewable {@link dev.finops.core.budget.Lease leases}; counters behind the {@link
 * dev.finops.core.budget.BudgetStore} SPI.
 *
 * <p>Units: amounts are longs in pico-units (10<sup>-12</sup>) of the manager's currency (limits up to
 * 9,223,372.036854775807 units), exact; costs that are not whole pico-units round up for reservation
 * and settlement. No {@code double} is used. Thread-safety: every public type is immutable or
 * thread-safe. Overshoot: zero through reservations with upper-bound estimates; the exceptions and their
 * bounds are listed on {@link dev.finops.core.budget.BudgetManager}.
 */
package dev.finops.core.budget;
