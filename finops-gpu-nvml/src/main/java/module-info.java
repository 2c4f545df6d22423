/**
 * finops-gpu-nvml: GPU samples from NVIDIA's NVML through a small JNI library shipped in the jar. The
 * native binding ({@code dev.finops.nvml.internal}) is not API.
 */
module dev.finops.nvml {
  requires transitive dev.finops.core;
  requires org.slf4j;

  exports dev.finops.nvml;
}
