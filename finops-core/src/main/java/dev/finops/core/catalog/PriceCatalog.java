package dev.finops.core.catalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable snapshot of prices: models priced per token or request, GPU instances priced per
 * hour, and on-prem GPUs. Load one with {@link #bundled()}, {@link #load(Path)} or {@link
 * #parse(String, InputStream)}; the format is documented in {@code docs/catalog-format.md}. A
 * catalog never changes: a reload builds a new one, and the {@code Pricing} engine swaps it in
 * atomically only if it loaded completely.
 */
public final class PriceCatalog {

  /** Classpath location of the bundled catalog. */
  public static final String BUNDLED_RESOURCE = "/dev/finops/core/catalog/bundled-catalog.json";

  private static volatile PriceCatalog bundled;

  private final String name;
  private final String version;
  private final Currency currency;
  private final List<ModelEntry> models;
  private final List<GpuInstance> gpuInstances;
  private final List<OnPremGpu> onPremGpus;
  private final Map<String, List<ModelEntry>> byExactName;
  private final List<ModelEntry> withPatterns;

  PriceCatalog(String name, String version, Currency currency, List<ModelEntry> models, List<GpuInstance> gpuInstances,
      List<OnPremGpu> onPremGpus) {
    this.name = Objects.requireNonNull(name, "name");
    this.version = Objects.requireNonNull(version, "version");
    this.currency = Objects.requireNonNull(currency, "currency");
    this.models = List.copyOf(models);
    this.gpuInstances = List.copyOf(gpuInstances);
    this.onPremGpus = List.copyOf(onPremGpus);
    Map<String, List<ModelEntry>> exact = new HashMap<>();
    List<ModelEntry> patterned = new ArrayList<>();
    for (ModelEntry m : this.models) {
      Set<String> names = new LinkedHashSet<>();
      names.add(m.id().toLowerCase(Locale.ROOT));
      for (String a : m.aliases()) {
        names.add(a.toLowerCase(Locale.ROOT));
      }
      for (String n : names) {
        exact.computeIfAbsent(n, k -> new ArrayList<>(1)).add(m);
      }
      if (!m.patterns().isEmpty()) {
        patterned.add(m);
      }
    }
    exact.replaceAll((k, v) -> List.copyOf(v));
    this.byExactName = Collections.unmodifiableMap(exact);
    this.withPatterns = List.copyOf(patterned);
  }

  /** True if the bundled catalog resource is on the class path. */
  public static boolean hasBundled() {
    return PriceCatalog.class.getResource(BUNDLED_RESOURCE) != null;
  }

  /** The catalog bundled in this jar, loaded once. */
  public static PriceCatalog bundled() {
    PriceCatalog c = bundled;
    if (c == null) {
      synchronized (PriceCatalog.class) {
        c = bundled;
        if (c == null) {
          try (InputStream in = PriceCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
              throw new IllegalStateException("bundled catalog " + BUNDLED_RESOURCE + " is missing from the jar");
            }
            c = parse("bundled-catalog.json", in);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          bundled = c;
        }
      }
    }
    return c;
  }

  /**
   * Loads a catalog file.
   *
   * @throws CatalogException naming the file, line, column, JSON path and field of the first problem
   */
  public static PriceCatalog load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(file.toString(), in);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CatalogException(file.toString(), 0, 0, null, "no such file", e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new CatalogException(file.toString(), 0, 0, null, "permission denied", e);
    } catch (IOException e) {
      throw new CatalogException(file.toString(), 0, 0, null, "cannot read catalog: " + e.getMessage(), e);
    }
  }

  /** Parses a catalog; {@code name} is used in error messages and as {@link #name()}. */
  public static PriceCatalog parse(String name, InputStream json) {
    return new CatalogReader(name).read(json);
  }

  /** Parses a catalog held in a string. */
  public static PriceCatalog parse(String name, String json) {
    return parse(name, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  /** A builder for catalogs made in code (overrides, negotiated prices, tests). */
  public static Builder builder(String name, String version) {
    return new Builder(name, version);
  }

  /** The file or resource the catalog came from. */
  public String name() {
    return name;
  }

  /** The catalog's own version string ({@code catalog_version}). */
  public String version() {
    return version;
  }

  /** The default currency of the catalog's entries. */
  public Currency currency() {
    return currency;
  }

  public List<ModelEntry> models() {
    return models;
  }

  public List<GpuInstance> gpuInstances() {
    return gpuInstances;
  }

  public List<OnPremGpu> onPremGpus() {
    return onPremGpus;
  }

  /**
   * Entries whose id or alias equals {@code lowerCaseName}; {@code provider} (lower case) narrows
   * the search when not {@code null}.
   */
  public ModelEntry findExact(String provider, String lowerCaseName) {
    List<ModelEntry> list = byExactName.get(lowerCaseName);
    if (list == null) {
      return null;
    }
    for (int i = 0; i < list.size(); i++) {
      ModelEntry m = list.get(i);
      if (provider == null || provider.equals(m.provider())) {
        return m;
      }
    }
    return null;
  }

  /** Every entry, of any provider, whose id or alias equals {@code lowerCaseName}, in declaration order. */
  public List<ModelEntry> findAllExact(String lowerCaseName) {
    List<ModelEntry> list = byExactName.get(lowerCaseName);
    return list == null ? List.of() : list;
  }

  /** The first entry, in declaration order, with a pattern matching the whole name. */
  public ModelEntry findByPattern(String provider, String name) {
    for (ModelEntry m : withPatterns) {
      if (provider != null && !provider.equals(m.provider())) {
        continue;
      }
      for (java.util.regex.Pattern p : m.patterns()) {
        if (p.matcher(name).matches()) {
          return m;
        }
      }
    }
    return null;
  }

  /** True if some entry has this provider. */
  public boolean hasProvider(String provider) {
    for (ModelEntry m : models) {
      if (m.provider().equals(provider)) {
        return true;
      }
    }
    for (GpuInstance g : gpuInstances) {
      if (g.provider().equals(provider)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The GPU instance of this type; {@code provider} and {@code region} narrow the search when not
   * {@code null}. With several regions left, the first declared wins.
   */
  public GpuInstance findGpuInstance(String provider, String region, String instanceType) {
    for (GpuInstance g : gpuInstances) {
      if (g.instanceType().equalsIgnoreCase(instanceType)
          && (provider == null || g.provider().equalsIgnoreCase(provider))
          && (region == null || g.region().equalsIgnoreCase(region))) {
        return g;
      }
    }
    return null;
  }

  /** The on-prem entry with this id, or {@code null}. */
  public OnPremGpu findOnPrem(String id) {
    for (OnPremGpu g : onPremGpus) {
      if (g.id().equalsIgnoreCase(id)) {
        return g;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "PriceCatalog{" + name + " " + version + ", " + models.size() + " models, " + gpuInstances.size()
        + " GPU instances, " + onPremGpus.size() + " on-prem}";
  }

  /** Builds a catalog in code. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String version;
    private Currency currency = Currency.getInstance("USD");
    private final List<ModelEntry> models = new ArrayList<>();
    private final List<GpuInstance> gpus = new ArrayList<>();
    private final List<OnPremGpu> onPrem = new ArrayList<>();

    private Builder(String name, String version) {
      this.name = Objects.requireNonNull(name, "name");
      this.version = Objects.requireNonNull(version, "version");
    }

    public Builder currency(Currency currency) {
      this.currency = Objects.requireNonNull(currency);
      return this;
    }

    public Builder addModel(ModelEntry entry) {
      for (ModelEntry m : models) {
        if (m.provider().equals(entry.provider()) && m.id().equalsIgnoreCase(entry.id())) {
          throw new IllegalArgumentException("model " + entry + " is already in catalog " + name);
        }
      }
      models.add(entry);
      return this;
    }

    /** A model with one open-ended price in the catalog's currency. */
    public Builder addModel(String provider, String id, BucketPrices prices) {
      return addModel(new ModelEntry(provider.toLowerCase(Locale.ROOT), id, List.of(), List.of(), "code",
          List.of(new ModelPrice(java.time.Instant.EPOCH, null, currency, prices, List.of(), Map.of()))));
    }

    public Builder addGpuInstance(GpuInstance instance) {
      gpus.add(instance);
      return this;
    }

    public Builder addOnPrem(OnPremGpu gpu) {
      onPrem.add(gpu);
      return this;
    }

    public PriceCatalog build() {
      return new PriceCatalog(name, version, currency, models, gpus, onPrem);
    }
  }
}
