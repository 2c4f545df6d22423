package dev.finops.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** finops-gpu-nvml exports its API and keeps the JNI binding ({@code internal}) to itself. */
class ModuleBoundaryTest {

  @Test
  void exportsTheApiOnly() {
    Module module = ModuleBoundaryTest.class.getModule();
    assertThat(module.getName()).isEqualTo("dev.finops.nvml");
    assertThat(module.getDescriptor().exports().stream().map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet())).containsExactly("dev.finops.nvml");
    assertThat(module.isExported("dev.finops.nvml.internal")).isFalse();
    assertThat(module.getDescriptor().requires().stream().map(ModuleDescriptor.Requires::name))
        .contains("dev.finops.core");
  }
}
