package dev.finops.advisor;

import dev.finops.core.catalog.AcceleratorCatalog;
import dev.finops.core.catalog.AcceleratorFacts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MIG profiles smaller than the whole GPU, per accelerator name as the price catalog writes it
 * ({@code A100-40GB}): compute slices (of 7) and memory in GB. Read from the accelerator facts table
 * ({@link AcceleratorCatalog}, whose profiles come from NVIDIA's Multi-Instance GPU User Guide,
 * "Supported MIG Profiles") through {@link Accelerators}' names. A slice is priced at its compute share of
 * the GPU (slices/7), the convention of {@code dev.finops.core.allocation.GpuFraction}.
 */
public final class MigProfiles {

  private static final int WHOLE = 7;
  private static final Pattern NAME = Pattern.compile("(\\d+)g\\.(\\d+)gb");

  /**
   * Profiles of parts the facts table does not have yet, from the same guide: the H100 NVL (94 GB), on
   * Azure's NC H100 v5. They belong in {@link AcceleratorCatalog} with the part's other facts.
   */
  private static final Map<String, List<String>> NOT_IN_FACTS = Map.of(
      "h100-nvl-94gb", List.of("1g.12gb", "2g.24gb", "3g.47gb", "4g.47gb", "7g.94gb"));

  /** One MIG profile: {@code slices}g.{@code memoryGb}gb. */
  public record Profile(int slices, int memoryGb) {
    public String name() {
      return slices + "g." + memoryGb + "gb";
    }

    /**
     * A profile from its name ({@code 3g.40gb}).
     *
     * @throws IllegalArgumentException naming the profile if it is not of that form
     */
    public static Profile parse(String name) {
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalArgumentException("MIG profile: '" + name + "' is not of the form <slices>g.<memory>gb");
      }
      return new Profile(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
  }

  private MigProfiles() {}

  /** The profiles of an accelerator in the built-in facts table, smallest first; empty without MIG. */
  public static List<Profile> of(String accelerator) {
    return of(Accelerators.builtIn(), accelerator);
  }

  /**
   * The profiles smaller than the whole GPU of a catalog accelerator, by slices then memory (so the first
   * that fits is the cheapest); empty when it has no MIG or no facts.
   */
  public static List<Profile> of(Accelerators accelerators, String accelerator) {
    Optional<AcceleratorFacts> facts = accelerators.facts(accelerator);
    List<String> names = facts.isPresent() ? facts.get().migProfiles()
        : NOT_IN_FACTS.getOrDefault(Accelerators.factsId(accelerator), List.of());
    List<Profile> out = new ArrayList<>();
    for (String n : names) {
      Profile p = Profile.parse(n);
      if (p.slices() < WHOLE) {
        out.add(p);
      }
    }
    out.sort(Comparator.comparingInt(Profile::slices).thenComparingInt(Profile::memoryGb));
    return List.copyOf(out);
  }
}
