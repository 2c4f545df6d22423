/**
 * Implementation details with no compatibility promise: the located JSON reader and decimal helpers.
 * Do not use from outside finops.
 */
package dev.finops.core.internal;
