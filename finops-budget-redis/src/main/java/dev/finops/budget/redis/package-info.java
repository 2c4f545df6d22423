/** A {@link dev.finops.core.budget.BudgetStore} on Redis shared by a fleet: {@link dev.finops.budget.redis.RedisBudgetStore}. */
package dev.finops.budget.redis;
