package dev.finops.cli;

import dev.finops.core.catalog.PurchaseOption;
import java.math.BigDecimal;
import picocli.CommandLine.Option;

/**
 * {@code --provider}, {@code --region} and {@code --spot}: which catalog instance a command prices, for
 * commands that take either {@code --instance TYPE} or {@code --hourly-rate AMOUNT} (these go with the
 * first only).
 */
final class InstanceOptions {

  static final String INSTANCE = "--instance";
  static final String HOURLY_RATE = "--hourly-rate";

  /** Where the rate comes from: an instance's price or a given rate, one of them (an exclusive group). */
  static final class RateSource {
    @Option(names = INSTANCE, paramLabel = "TYPE", description = {
        "a catalog instance type (e.g. p4d.24xlarge): its on-demand price, or spot with --spot"})
    String instance;

    @Option(names = HOURLY_RATE, paramLabel = "AMOUNT", converter = Converters.Decimal.class,
        description = "the price per GPU-hour, in USD, instead of " + INSTANCE)
    BigDecimal hourlyRate;
  }

  /** Where the rate comes from must be given: an instance or a rate. */
  static void requireSource(RateSource source) {
    if (source == null || source.hourlyRate == null && source.instance == null) {
      throw CliException.usage("missing " + INSTANCE + " TYPE or " + HOURLY_RATE + " AMOUNT");
    }
  }

  @Option(names = "--provider", paramLabel = "P", description = "the instance's provider (aws, gcp, azure, ...)")
  String provider;

  @Option(names = "--region", paramLabel = "R",
      description = "the instance's region (default: the first one the catalogs list)")
  String region;

  @Option(names = "--spot", description = "use the instance's spot price instead of on-demand")
  boolean spot;

  PurchaseOption option() {
    return spot ? PurchaseOption.SPOT : PurchaseOption.ON_DEMAND;
  }

  /** For a given rate: none of these may be given. */
  void requireInstance() {
    String given = provider != null ? "--provider" : region != null ? "--region" : spot ? "--spot" : null;
    if (given != null) {
      throw CliException.usage(given + ": only goes with --instance");
    }
  }
}
