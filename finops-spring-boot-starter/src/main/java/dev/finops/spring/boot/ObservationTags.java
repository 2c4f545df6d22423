package dev.finops.spring.boot;

/**
 * Where {@link RequestTagsFilter} leaves a request's tags on its HTTP server observation, for the Spring
 * AI budget gate. Apart from the filter so that code without spring-web can read the key.
 */
final class ObservationTags {
  /** The key of the request's {@link dev.finops.core.Tags} in its observation's context. */
  static final Object KEY = ObservationTags.class.getName() + ".tags";

  private ObservationTags() {}
}
