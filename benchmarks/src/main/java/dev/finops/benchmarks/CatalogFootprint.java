package dev.finops.benchmarks;

import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.pricing.Pricing;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bundled catalog at start-up: how long reading and compiling it takes in a fresh JVM (the first
 * load, class loading and Jackson included, as an application pays it once), the same on later loads
 * (warm), and the heap it retains (the heap after a full GC with the catalog and a {@link Pricing} on it
 * alive, minus the heap before). Targets: first load at most 300 ms, retained heap at most 20 MB.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.finops.benchmarks.CatalogFootprint [warm loads]</pre>
 */
public final class CatalogFootprint {

  private CatalogFootprint() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int warm = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    byte[] json;
    try (InputStream in = PriceCatalog.class.getResourceAsStream(PriceCatalog.BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("no bundled catalog in this build");
      }
      json = in.readAllBytes();
    }
    long before = LedgerFootprint.usedAfterGc();
    long t0 = System.nanoTime();
    PriceCatalog catalog = PriceCatalog.bundled();
    Pricing pricing = Pricing.builder().bundledCatalog(catalog).build();
    long firstNanos = System.nanoTime() - t0;
    long after = LedgerFootprint.usedAfterGc();

    long best = Long.MAX_VALUE;
    long sum = 0;
    for (int i = 0; i < warm; i++) {
      long t = System.nanoTime();
      PriceCatalog again = PriceCatalog.parse("bundled", new java.io.ByteArrayInputStream(json));
      long took = System.nanoTime() - t;
      best = Math.min(best, took);
      sum += took;
      if (again.models().size() != catalog.models().size()) {
        throw new AssertionError("a reload read " + again.models().size() + " models, not " + catalog.models().size());
      }
    }
    long providers = catalog.models().stream().map(m -> m.provider()).distinct().count();
    System.out.printf("catalog: %d bytes of JSON, %d models of %d providers, %d GPU instances%n", json.length,
        catalog.models().size(), providers, catalog.gpuInstances().size());
    System.out.printf("first load (fresh JVM, with Pricing): %.1f ms%n", firstNanos / 1e6);
    System.out.printf("warm reloads: best %.1f ms, mean %.1f ms over %d%n", best / 1e6, sum / 1e6 / Math.max(1, warm),
        warm);
    System.out.printf("retained heap: %.2f MB%n", (after - before) / 1_048_576.0);
    java.lang.ref.Reference.reachabilityFence(pricing); // held through the measurement
  }
}
