package dev.finops.core.allocation;

import java.util.Locale;

/**
 * Who pays for a shared asset's idle cost: the asset cost that no tenant's usage covers (capacity
 * nobody used). See {@link SharedCostAllocator}.
 */
public enum IdlePolicy {
  /** Shared among the tenants by the same weights as the split; it shows as each line's shared cost. */
  SHARE,
  /** Charged to the asset's owner (a tenant marked owner, or the allocator's configured owner). */
  OWNER,
  /** Kept on a separate line, {@value SharedCostAllocation#IDLE_TENANT}, as OpenCost does by default. */
  SEPARATE;

  /** The name in the CLI ({@code "share"}, {@code "owner"}, {@code "separate"}). */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The policy with this CLI name, or {@code null}. */
  public static IdlePolicy byName(String name) {
    for (IdlePolicy p : values()) {
      if (p.cliName().equals(name)) {
        return p;
      }
    }
    return null;
  }
}
