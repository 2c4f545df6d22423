package dev.finops.nvml;

/**
 * NVML's return codes ({@code nvmlReturn_t}; values from nvml.h, listed with their public source in
 * docs/nvml.md). {@link #LIBRARY_NOT_FOUND} and {@link #FUNCTION_NOT_FOUND} are the binding's own answers, as
 * in go-nvml and pynvml: the library could not be dlopen()ed, or lacks a function.
 */
public enum NvmlReturn {
  SUCCESS(0),
  UNINITIALIZED(1),
  INVALID_ARGUMENT(2),
  NOT_SUPPORTED(3),
  NO_PERMISSION(4),
  ALREADY_INITIALIZED(5),
  NOT_FOUND(6),
  INSUFFICIENT_SIZE(7),
  INSUFFICIENT_POWER(8),
  DRIVER_NOT_LOADED(9),
  TIMEOUT(10),
  IRQ_ISSUE(11),
  LIBRARY_NOT_FOUND(12),
  FUNCTION_NOT_FOUND(13),
  CORRUPTED_INFOROM(14),
  GPU_IS_LOST(15),
  RESET_REQUIRED(16),
  OPERATING_SYSTEM(17),
  LIB_RM_VERSION_MISMATCH(18),
  IN_USE(19),
  MEMORY(20),
  NO_DATA(21),
  VGPU_ECC_NOT_SUPPORTED(22),
  INSUFFICIENT_RESOURCES(23),
  FREQ_NOT_SUPPORTED(24),
  ARGUMENT_VERSION_MISMATCH(25),
  DEPRECATED(26),
  NOT_READY(27),
  GPU_NOT_FOUND(28),
  INVALID_STATE(29),
  RESET_TYPE_NOT_SUPPORTED(30),
  UNKNOWN(999);

  private static final NvmlReturn[] BY_CODE = new NvmlReturn[31];

  static {
    for (NvmlReturn r : values()) {
      if (r.code < BY_CODE.length) {
        BY_CODE[r.code] = r;
      }
    }
  }

  private final int code;

  NvmlReturn(int code) {
    this.code = code;
  }

  /** The numeric {@code nvmlReturn_t}. */
  public int code() {
    return code;
  }

  /** The constant of a code; codes this binding does not know map to {@link #UNKNOWN}. */
  public static NvmlReturn of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
  }

  /**
   * True for the answers that mean "this device or library cannot do that": {@link #NOT_SUPPORTED}
   * and {@link #FUNCTION_NOT_FOUND}. They are normal answers, not errors.
   */
  public boolean isUnsupported() {
    return this == NOT_SUPPORTED || this == FUNCTION_NOT_FOUND;
  }

  /** The nvml.h name, {@code NVML_SUCCESS} or {@code NVML_ERROR_...}. */
  public String nvmlName() {
    return this == SUCCESS ? "NVML_SUCCESS" : "NVML_ERROR_" + name();
  }
}
