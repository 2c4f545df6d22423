/**
 * Pricing usage against layered catalogs: {@link dev.finops.core.pricing.Pricing}, the {@link
 * dev.finops.core.pricing.PriceKey} every priced quantity carries, bound models for the hot path, and GPU cost figures.
 */
package dev.finops.core.pricing;
