package dev.finops.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.core.Money;
import dev.finops.core.TestCatalogs;
import dev.finops.core.catalog.PriceCatalog;
import dev.finops.core.catalog.PriceSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts behind {@link Pricing}, each on its own contract. */
class PricingPartsTest {

  private static final PriceCatalog FIXTURE = TestCatalogs.pricingFixture();

  @Test
  void the_layer_stack_orders_overrides_then_user_catalogs_then_bundled_and_caches_per_provider() {
    PriceCatalog user2 = TestCatalogs.pricingFixture();
    LayerStack s = LayerStack.of(FIXTURE, List.of(user2), FIXTURE, 10);
    assertThat(s.layers).extracting(Pricing.Layer::source)
        .containsExactly(PriceSource.OVERRIDE, PriceSource.USER_CATALOG, PriceSource.BUNDLED_CATALOG);
    assertThat(s.layers.get(1).catalog()).isSameAs(user2);
    assertThat(s.cacheFor("openai")).isSameAs(s.cacheFor("openai")).isNotSameAs(s.cacheFor(null));
    assertThat(LayerStack.of(null, List.of(), null, 10).layers).isEmpty();
  }

  @Test
  void the_resolver_strips_routing_prefixes_users_write_and_keeps_region_segments() {
    List<Pricing.Layer> layers = LayerStack.of(null, List.of(FIXTURE), null, 10).layers;
    assertThat(NameResolver.withoutRoutingPrefix(layers, "models/gemini-2.0-flash")).isEqualTo("gemini-2.0-flash");
    assertThat(NameResolver.withoutRoutingPrefix(layers, "accounts/fireworks/models/llama-v3"))
        .isEqualTo("llama-v3");
    assertThat(NameResolver.withoutRoutingPrefix(layers, "us.anthropic.claude-3-haiku"))
        .isEqualTo("anthropic.claude-3-haiku");
    assertThat(NameResolver.withoutRoutingPrefix(layers, "bedrock/some-model")).isEqualTo("some-model");
    assertThat(NameResolver.withoutRoutingPrefix(layers, "eu/some-model")).isNull(); // prices differ there
    assertThat(NameResolver.withoutRoutingPrefix(layers, "us-gov-west-1/some-model")).isNull();
    assertThat(NameResolver.withoutRoutingPrefix(layers, "plain-name")).isNull();
  }

  @Test
  void the_resolver_caches_misses_and_deployments_map_to_their_model() {
    LayerStack s = LayerStack.of(null, List.of(FIXTURE), null, 10);
    NameResolver names = new NameResolver(Map.of("azure/prod-4o", new String[] {"openai", "gpt-4o"}));
    assertThat(names.resolve(s, null, "no-such-model-anywhere")).isNull();
    assertThat(s.cacheFor(null).getIfPresent("no-such-model-anywhere")).isSameAs(NameResolver.NO_MATCH);
    Pricing.Match m = names.resolve(s, "azure", "prod-4o");
    assertThat(m).isNotNull();
    assertThat(m.entry().provider()).isEqualTo("openai");
    assertThat(m.entry().id()).isEqualTo("gpt-4o");
  }

  @Test
  void the_unpriced_tracker_counts_per_name_bounded_and_keeps_one_key_per_name() {
    UnpricedTracker t = new UnpricedTracker(null, Money.USD);
    t.note("p", "m", "unknown model", "recorded unpriced");
    t.note("p", "m", "unknown model", "recorded unpriced");
    assertThat(t.unpricedCounts()).containsEntry("p/m", 2L);
    assertThat(t.unpricedKey("p", "m")).isSameAs(t.unpricedKey("p", "m"));
    assertThat(t.unpricedKey("p", "m").source()).isEqualTo(PriceSource.UNPRICED);
    for (int i = 0; i < UnpricedTracker.MAX_TRACKED + 5; i++) {
      t.note(null, "n" + i, "unknown model", "recorded unpriced");
    }
    Map<String, Long> counts = t.unpricedCounts();
    assertThat(counts).hasSize(UnpricedTracker.MAX_TRACKED + 1);
    assertThat(counts.get(UnpricedTracker.OTHER)).isEqualTo(6L); // the names past the bound, under (other)
  }
}
