package dev.finops.otel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** finops-otel is a named module whose SDK dependency is optional (requires static). */
class ModuleBoundaryTest {

  @Test
  void exportsItsPackageAndNeedsTheSdkOnlyOptionally() {
    Module module = ModuleBoundaryTest.class.getModule();
    assertThat(module.getName()).isEqualTo("dev.finops.otel");
    ModuleDescriptor d = module.getDescriptor();
    assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactly("dev.finops.otel");
    assertThat(d.requires().stream().filter(r -> r.name().startsWith("io.opentelemetry.sdk"))
        .allMatch(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))).isTrue();
  }
}
