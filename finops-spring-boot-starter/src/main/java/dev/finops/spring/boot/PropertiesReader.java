package dev.finops.spring.boot;

import dev.finops.core.Clock;
import dev.finops.core.FinOps;
import dev.finops.core.Money;
import dev.finops.core.Tags;
import dev.finops.core.budget.Budget;
import dev.finops.core.budget.UnknownCostPolicy;
import dev.finops.core.budget.Window;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.pricing.Pricing;
import dev.finops.core.pricing.UnknownModelPolicy;
import dev.finops.otel.CostAttributes;
import dev.finops.spring.boot.FinOpsProperties.BudgetProperties;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@link FinOpsProperties} into finops objects. Every error is an {@link
 * InvalidConfigurationPropertyValueException} naming the property ({@code finops.budgets[0].limit}),
 * which Spring Boot's failure analyzer prints at start-up with the value and the reason.
 */
final class PropertiesReader {
  private static final String P = "finops.";

  private PropertiesReader() {}

  static FinOps finOps(FinOpsProperties p, Clock clockBean) {
    Pricing.Builder pricing = Pricing.builder().unknownModelPolicy(
        p.getUnknownModel() == FinOpsProperties.UnknownModel.RECORD_UNPRICED
            ? UnknownModelPolicy.RECORD_UNPRICED : UnknownModelPolicy.FAIL);
    if (!p.isBundledCatalog()) {
      pricing.bundledCatalog(null);
    }
    List<Path> catalogs = p.getCatalogs();
    for (int i = 0; i < catalogs.size(); i++) {
      pricing.userCatalog(catalog(P + "catalogs[" + i + "]", catalogs.get(i)));
    }
    if (p.getOverrides() != null) {
      pricing.overrides(catalog(P + "overrides", p.getOverrides()));
    }
    Clock clock = clockBean;
    if (clock == null) {
      Duration resolution = p.getClockResolution();
      if (resolution == null) {
        clock = Clock.shared();
      } else {
        clock = call(P + "clock-resolution", resolution, () -> Clock.coarse(resolution));
      }
    }
    return FinOps.builder().pricing(pricing.build()).clock(clock).build();
  }

  static Tags defaultTags(FinOpsProperties p) {
    Map<String, String> tags = p.getDefaultTags();
    return call(P + "default-tags", tags, () -> Tags.of(tags));
  }

  static CostAttributes costAttributes(FinOpsProperties p) {
    return CostAttributes.valueOf(p.getSpanCostNames().name());
  }

  private static PriceCatalog catalog(String property, Path file) {
    return call(property, file, () -> PriceCatalog.load(file));
  }

  /** The budgets of {@code finops.budgets}, in order. */
  static List<Budget> budgets(FinOpsProperties p) {
    List<Budget> out = new ArrayList<>();
    List<BudgetProperties> list = p.getBudgets();
    for (int i = 0; i < list.size(); i++) {
      out.add(budget(P + "budgets[" + i + "].", list.get(i)));
    }
    return out;
  }

  private static Budget budget(String at, BudgetProperties b) {
    String scope = required(at + "scope", b.getScope());
    int eq = scope.indexOf('=');
    if (eq <= 0 || eq == scope.length() - 1) {
      throw new InvalidConfigurationPropertyValueException(at + "scope", scope,
          "a scope is key=value, such as team=nlp or project=search");
    }
    Budget.Builder builder = call(at + "scope", scope,
        () -> Budget.forScope(scope.substring(0, eq).trim(), scope.substring(eq + 1).trim()));
    String limit = required(at + "limit", b.getLimit());
    Money money = call(at + "limit", limit, () -> Money.of(Money.parseDecimal(limit, true), currency(at, b)));
    builder.window(window(at, b), money);
    List<String> notify = b.getNotifyAt();
    BigDecimal[] fractions = new BigDecimal[notify.size()];
    for (int i = 0; i < fractions.length; i++) {
      String f = notify.get(i);
      // each on a scratch builder first, so an error names the element at fault
      fractions[i] = call(at + "notify-at[" + i + "]", f, () -> {
        BigDecimal x = fraction(f);
        Budget.forTeam("check").notifyAt(x);
        return x;
      });
    }
    if (fractions.length > 0) {
      call(at + "notify-at", notify, () -> builder.notifyAt(fractions));
    }
    if (b.getThrottleAt() != null) {
      Duration delay = b.getThrottleDelay();
      if (delay == null) {
        throw new InvalidConfigurationPropertyValueException(at + "throttle-delay", null,
            "throttle-at is set, so throttle-delay must be too (250ms, say)");
      }
      call(at + "throttle-at", b.getThrottleAt(), () -> builder.throttleAt(fraction(b.getThrottleAt()), delay));
    } else if (b.getThrottleDelay() != null) {
      throw new InvalidConfigurationPropertyValueException(at + "throttle-at", null,
          "throttle-delay is set, so throttle-at must be too (the fraction of the limit from which calls wait)");
    }
    if (b.getTerminateAt() != null) {
      call(at + "terminate-at", b.getTerminateAt(), () -> builder.terminateAt(fraction(b.getTerminateAt())));
    }
    builder.unknownCost(b.getUnknownCost() == FinOpsProperties.UnknownCost.FAIL_OPEN
        ? UnknownCostPolicy.FAIL_OPEN : UnknownCostPolicy.FAIL_CLOSED);
    return call(at + "limit", limit, builder::build);
  }

  private static java.util.Currency currency(String at, BudgetProperties b) {
    String code = required(at + "currency", b.getCurrency());
    return call(at + "currency", code, () -> java.util.Currency.getInstance(code.trim()));
  }

  private static Window window(String at, BudgetProperties b) {
    FinOpsProperties.WindowKind kind = b.getWindow();
    if (kind == null) {
      throw new InvalidConfigurationPropertyValueException(at + "window", null,
          "a budget needs a window: lifetime, daily, weekly, monthly or rolling");
    }
    if (kind == FinOpsProperties.WindowKind.ROLLING) {
      Duration length = b.getLength();
      if (length == null) {
        throw new InvalidConfigurationPropertyValueException(at + "length", null,
            "a rolling window needs its length (1h, 7d, ...)");
      }
      return call(at + "length", length, () -> Window.rolling(length));
    }
    if (kind == FinOpsProperties.WindowKind.LIFETIME) {
      return Window.lifetime();
    }
    ZoneId zone = call(at + "zone", b.getZone(), () -> ZoneId.of(required(at + "zone", b.getZone()).trim()));
    switch (kind) {
      case DAILY:
        return Window.daily(zone);
      case WEEKLY:
        return Window.weekly(zone);
      default:
        return Window.monthly(zone);
    }
  }

  private static BigDecimal fraction(String s) {
    return Money.parseDecimal(s, true);
  }

  private static String required(String property, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidConfigurationPropertyValueException(property, value, "it must be set");
    }
    return value;
  }

  /** Runs {@code f}; a failure becomes an error naming {@code property} with the failure's message. */
  private static <T> T call(String property, Object value, Action<T> f) {
    try {
      return f.run();
    } catch (InvalidConfigurationPropertyValueException e) {
      throw e;
    } catch (RuntimeException e) {
      String reason = e instanceof NumberFormatException ? "not a decimal number (" + e.getMessage() + ")"
          : e instanceof DateTimeException ? "not a time zone: " + e.getMessage() : e.getMessage();
      throw new InvalidConfigurationPropertyValueException(property, value, reason);
    }
  }

  @FunctionalInterface
  private interface Action<T> {
    T run();
  }
}
