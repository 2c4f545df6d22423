package dev.finops.advisor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** finops-advisor is a named module that exports its one package. */
class ModuleBoundaryTest {

  @Test
  void isANamedModuleExportingItsPackage() {
    Module module = ModuleBoundaryTest.class.getModule();
    assertThat(module.getName()).isEqualTo("dev.finops.advisor");
    assertThat(module.isExported("dev.finops.advisor")).isTrue();
    assertThat(module.getDescriptor().packages()).containsExactly("dev.finops.advisor");
  }
}
