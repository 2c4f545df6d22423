package dev.finops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** finops-core is a named module that exports its API packages and keeps {@code internal} to itself. */
class ModuleBoundaryTest {

  @Test
  void exportsEveryPackageButInternalToEveryone() {
    Module module = Money.class.getModule();
    assertThat(module.isNamed()).as("tests run on the module path").isTrue();
    assertThat(module.getName()).isEqualTo("dev.finops.core");
    ModuleDescriptor d = module.getDescriptor();
    Set<String> exported = d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet());
    // (test resource folders, such as "catalogs", are patched into the module as packages too)
    Set<String> api = d.packages().stream().filter(p -> p.startsWith("dev.finops.") && !p.contains(".internal"))
        .collect(Collectors.toSet());

    assertThat(exported).isEqualTo(api);
    assertThat(module.isExported("dev.finops.core.internal")).isFalse();
    assertThat(module.isOpen("dev.finops.core.internal")).isFalse();
  }
}
