/**
 * JMH benchmarks of the hot paths, with baselines in the same classes, and small main programs for
 * memory, CPU and disk figures; results in benchmarks/README.md.
 */
package dev.finops.benchmarks;
