package dev.finops.nvml;

/**
 * NVML could not be used: the library or driver is missing, access is denied, or a call failed. The
 * message says why in words a person can act on; {@link #returnCode()} gives the NVML answer.
 */
public final class NvmlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final NvmlReturn returnCode;

  public NvmlException(NvmlReturn returnCode, String message) {
    this(returnCode, message, null);
  }

  public NvmlException(NvmlReturn returnCode, String message, Throwable cause) {
    super(message, cause);
    this.returnCode = returnCode;
  }

  /** The NVML answer behind the failure ({@link NvmlReturn#LIBRARY_NOT_FOUND} when there is no library). */
  public NvmlReturn returnCode() {
    return returnCode;
  }
}
