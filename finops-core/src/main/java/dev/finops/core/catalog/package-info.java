/**
 * Price catalogs: immutable, effective-dated snapshots of model, GPU instance and on-prem prices, read
 * strictly from the JSON format of docs/catalog-format.md (or imported from LiteLLM's price file).
 */
package dev.finops.core.catalog;
