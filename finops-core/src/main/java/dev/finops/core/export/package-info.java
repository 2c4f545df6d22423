/**
 * FOCUS 1.3 export: {@link dev.finops.core.export.FocusExporter} turns ledger snapshots and shared-cost
 * allocations into FOCUS rows ({@link dev.finops.core.export.FocusExport}), written as CSV or JSON.
 *
 * <p>Exporters never compute cost: amounts come from the ledger and the allocation engine, exact, and
 * are only rounded to the export's unit by largest-remainder apportionment so that they add up.
 */
package dev.finops.core.export;
