/**
 * The entry point ({@link dev.finops.core.FinOps}) and the value types every part shares: exact
 * {@link dev.finops.core.Money}, {@link dev.finops.core.Usage} in canonical buckets, {@link dev.finops.core.Tags}, and the injected {@link dev.finops.core.Clock}.
 */
package dev.finops.core;
