package dev.finops.advisor;

import java.util.List;
import java.util.Map;

/**
 * The MIG profiles smaller than the whole GPU, per accelerator name as the catalog writes it: compute
 * slices (of 7) and memory in GB. From NVIDIA's Multi-Instance GPU User Guide, "Supported MIG Profiles"
 * (docs.nvidia.com/datacenter/tesla/mig-user-guide). A slice is priced at its compute share of the GPU
 * (slices/7), the convention of {@code dev.finops.core.allocation.GpuFraction}.
 */
public final class MigProfiles {

  /** One MIG profile: {@code slices}g.{@code memoryGb}gb. */
  public record Profile(int slices, int memoryGb) {
    public String name() {
      return slices + "g." + memoryGb + "gb";
    }
  }

  private static final Map<String, List<Profile>> PROFILES = Map.of(
      "A100-40GB", List.of(new Profile(1, 5), new Profile(2, 10), new Profile(3, 20), new Profile(4, 20)),
      "A100-80GB", List.of(new Profile(1, 10), new Profile(2, 20), new Profile(3, 40), new Profile(4, 40)),
      "H100-80GB", List.of(new Profile(1, 10), new Profile(2, 20), new Profile(3, 40), new Profile(4, 40)),
      "H100-NVL-94GB", List.of(new Profile(1, 12), new Profile(2, 24), new Profile(3, 47), new Profile(4, 47)),
      "H200-141GB", List.of(new Profile(1, 18), new Profile(2, 35), new Profile(3, 71), new Profile(4, 71)));

  private MigProfiles() {}

  /** The profiles of an accelerator, smallest first; empty when it has no MIG (or is not listed). */
  public static List<Profile> of(String accelerator) {
    return PROFILES.getOrDefault(accelerator, List.of());
  }
}
