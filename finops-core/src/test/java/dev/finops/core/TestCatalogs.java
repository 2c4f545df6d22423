package dev.finops.core;

import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Shared fixtures: small catalogs, dates and pricing engines without the bundled catalog. */
public final class TestCatalogs {

  /** The catalog the pricing tests run against (src/test/resources/catalogs/pricing-fixture.json). */
  public static final String PRICING_FIXTURE = "pricing-fixture.json";

  private TestCatalogs() {}

  /** A catalog from src/test/resources/catalogs, named by its file name. */
  public static PriceCatalog resource(String fileName) {
    try (InputStream in = TestCatalogs.class.getResourceAsStream("/catalogs/" + fileName)) {
      if (in == null) {
        throw new IllegalStateException("test catalog " + fileName + " is missing");
      }
      return PriceCatalog.parse(fileName, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pricing fixture catalog. */
  public static PriceCatalog pricingFixture() {
    return resource(PRICING_FIXTURE);
  }

  /**
   * A whole catalog document around {@code models} (JSON objects, comma-separated), with the given
   * catalog_version. The header takes exactly one line, so models start on line 2.
   */
  public static String catalogJson(String catalogVersion, String models) {
    return "{ \"format_version\": 1, \"catalog_version\": \"" + catalogVersion + "\", \"currency\": \"USD\", \"models\": [\n"
        + models + "\n] }\n";
  }

  /** A one-model catalog with open-ended input and output prices per 1M tokens. */
  public static PriceCatalog oneModel(String catalogVersion, String provider, String id, String input, String output) {
    return PriceCatalog.parse(catalogVersion + ".json", catalogJson(catalogVersion, modelJson(provider, id, input, output)));
  }

  /** One model object with open-ended input and output prices per 1M tokens. */
  public static String modelJson(String provider, String id, String input, String output) {
    return "{ \"provider\": \"" + provider + "\", \"id\": \"" + id + "\", \"source\": \"test\", "
        + "\"prices\": { \"input\": \"" + input + "\", \"output\": \"" + output + "\" } }";
  }

  /** A pricing engine with no bundled catalog and the given user catalogs, in precedence order. */
  public static Pricing pricing(UnknownModelPolicy policy, PriceCatalog... userCatalogs) {
    Pricing.Builder b = Pricing.builder().bundledCatalog(null).unknownModelPolicy(policy);
    for (PriceCatalog c : userCatalogs) {
      b.userCatalog(c);
    }
    return b.build();
  }

  /** Midnight UTC of a {@code YYYY-MM-DD} day. */
  public static Instant day(String isoDate) {
    return LocalDate.parse(isoDate).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
