/**
 * Not API: the JNI declarations ({@link dev.finops.nvml.internal.NvmlNative}) and the loader that
 * extracts {@code libfinops_nvml.so} from the jar ({@link dev.finops.nvml.internal.NativeLibrary}).
 */
package dev.finops.nvml.internal;
