package dev.finops.otel;

import java.util.Map;

/** The registered {@link UsageExtractor}s, looked up by the runtime class of a result (cached per class). */
final class UsageExtractors {
  private final Map<Class<?>, UsageExtractor<?>> byType;
  private final ClassValue<UsageExtractor<Object>> byClass = new ClassValue<>() {
    @Override
    protected UsageExtractor<Object> computeValue(Class<?> type) {
      return mostSpecific(type);
    }
  };

  UsageExtractors(Map<Class<?>, UsageExtractor<?>> byType) {
    this.byType = Map.copyOf(byType);
  }

  /** The extractor of the most specific registered supertype of {@code type}, or {@code null}. */
  UsageExtractor<Object> forClass(Class<?> type) {
    return byType.isEmpty() ? null : byClass.get(type);
  }

  @SuppressWarnings("unchecked")
  private UsageExtractor<Object> mostSpecific(Class<?> type) {
    Class<?> best = null;
    for (Class<?> registered : byType.keySet()) {
      if (registered.isAssignableFrom(type) && (best == null || best.isAssignableFrom(registered))) {
        best = registered;
      }
    }
    return best == null ? null : (UsageExtractor<Object>) byType.get(best);
  }
}
