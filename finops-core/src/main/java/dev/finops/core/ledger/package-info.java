/**
 * The ledger: bound accounts record quantities per price key in lock-free, time-slotted counters;
 * snapshots derive exact costs, group them by tags and time, and re-price them.
 */
package dev.finops.core.ledger;
