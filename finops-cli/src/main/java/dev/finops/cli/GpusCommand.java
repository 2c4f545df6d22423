package dev.finops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.core.gpu.GpuMetric;
import dev.finops.core.gpu.GpuMigInstance;
import dev.finops.core.gpu.GpuProcessUsage;
import dev.finops.core.gpu.GpuSample;
import dev.finops.core.report.TextTable.Align;
import dev.finops.core.report.TextTable;
import dev.finops.nvml.Nvml;
import dev.finops.nvml.NvmlDevice;
import dev.finops.nvml.NvmlException;
import dev.finops.nvml.NvmlMigDevice;
import dev.finops.nvml.NvmlSession;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code finops gpus}: the GPUs NVML sees and a live reading of each, once or every {@code --watch}
 * seconds. Without NVML (no driver, no permission, not linux-x86_64) it says why and exits {@link
 * ExitCode#NO_GPU}.
 */
@Command(name = "gpus", description = {
    "the GPUs NVML sees and live readings of them (utilization, memory, power, energy)", "",
    "Lists the GPUs of this machine through NVIDIA NVML (the driver's libnvidia-ml.so.1, or the file named by "
        + "-Dfinops.nvml.library=PATH) and reads each one: utilization, memory, power, energy since the driver "
        + "loaded, temperature, SM clock and the processes on it; on GPUs with NVML GPM (Hopper and later) also SM "
        + "activity, SM occupancy, tensor and FP16/FP32/FP64 pipe activity over a one-second interval; on "
        + "MIG-enabled GPUs each MIG instance with its memory, activity and processes. \"compute utilization\" is "
        + "GPM's SM activity where the GPU has GPM, else NVML's time-based utilization, and says which. Exits 5 with "
        + "the reason when NVML is unavailable (no driver, no permission, no GPU)."})
final class GpusCommand extends CliCommand {

  private static final String WATCH = "--watch";
  private static final String COUNT = "--count";
  private static final BigDecimal MIB = BigDecimal.valueOf(1L << 20);
  private static final int GPM_INTERVAL_SECONDS = Integer.getInteger("finops.gpus.gpmIntervalSeconds", 1);
  private static final GpuMetric[] ACTIVITY = {GpuMetric.SM_ACTIVITY, GpuMetric.SM_OCCUPANCY,
      GpuMetric.TENSOR_ACTIVITY, GpuMetric.FP16_ACTIVITY, GpuMetric.FP32_ACTIVITY, GpuMetric.FP64_ACTIVITY};

  @Option(names = "--json", description = "print one JSON object per reading instead of text")
  boolean json;

  @Option(names = WATCH, paramLabel = "SECONDS", converter = Converters.Positive.class,
      description = "read again every SECONDS seconds until interrupted")
  int watch;

  @Option(names = COUNT, paramLabel = "N", converter = Converters.Positive.class,
      description = "with " + WATCH + ": stop after N readings")
  Integer count;

  @Override
  int run() {
    if (count != null && watch == 0) {
      throw CliException.usage(COUNT + ": only goes with " + WATCH);
    }
    long readings = watch == 0 ? 1 : count == null ? Integer.MAX_VALUE : count;
    try (NvmlSession nvml = Nvml.open()) {
      if (nvml.devices().isEmpty()) {
        throw new CliException(ExitCode.NO_GPU, "NVML found no GPU on this machine (" + nvml.library() + ")");
      }
      boolean gpm = nvml.devices().stream().anyMatch(NvmlDevice::hasGpm);
      for (long i = 0; i < readings; i++) {
        // GPM measures over the interval since the session's first sample: give it one second
        if ((i > 0 || gpm) && !pause(i > 0 ? watch : GPM_INTERVAL_SECONDS)) {
          break;
        }
        long now = System.currentTimeMillis();
        List<GpuSample> round = nvml.sample(now);
        if (json) {
          Formats.printJson(out, json(nvml, now, round));
        } else {
          printText(nvml, now, round, i == 0, out);
        }
      }
    } catch (NvmlException e) {
      throw new CliException(ExitCode.NO_GPU, "NVML is unavailable: " + e.getMessage());
    }
    return ExitCode.OK;
  }

  private static boolean pause(int seconds) {
    if (seconds == 0) {
      return true;
    }
    try {
      Thread.sleep(seconds * 1000L);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static ObjectNode json(NvmlSession nvml, long now, List<GpuSample> round) {
    ObjectNode json = Formats.object();
    Formats.put(json, "driver_version", nvml.driverVersion());
    json.put("library", nvml.library());
    json.put("time", Instant.ofEpochMilli(now).toString());
    ArrayNode devices = json.putArray("devices");
    for (NvmlDevice d : nvml.devices()) {
      ObjectNode o = devices.addObject();
      o.put("index", d.index());
      o.put("status", d.status().nvmlName());
      Formats.put(o, "uuid", d.uuid());
      Formats.put(o, "name", d.name());
      putIf(o, "memory_total_bytes", d.memoryTotalBytes());
      o.put("mig_mode", d.migMode().name().toLowerCase(Locale.ROOT));
      ArrayNode supported = o.putArray("supported");
      d.supported().forEach(m -> supported.add(m.name().toLowerCase(Locale.ROOT)));
      o.put("gpm", d.hasGpm() ? "supported" : d.gpm().nvmlName());
      ArrayNode migs = o.putArray("mig_devices");
      for (NvmlMigDevice m : d.migDevices()) {
        ObjectNode mo = migs.addObject();
        mo.put("uuid", m.uuid());
        Formats.put(mo, "name", m.name());
        mo.put("gpu_instance_id", m.gpuInstanceId());
        mo.put("compute_instance_id", m.computeInstanceId());
        putIf(mo, "memory_total_bytes", m.memoryTotalBytes());
      }
    }
    ArrayNode samples = json.putArray("samples");
    for (GpuSample s : round) {
      ObjectNode o = samples.addObject();
      o.put("index", s.deviceIndex());
      o.put("uuid", s.uuid());
      o.put("lost", s.isLost());
      putIf(o, "gpu_utilization_percent", s.gpuUtilizationPercent());
      putIf(o, "memory_utilization_percent", s.memoryUtilizationPercent());
      putIf(o, "memory_used_bytes", s.memoryUsedBytes());
      putIf(o, "memory_total_bytes", s.memoryTotalBytes());
      putIf(o, "power_mw", s.powerMilliwatts());
      putIf(o, "energy_mj", s.energyMillijoules());
      putIf(o, "temperature_c", s.has(GpuMetric.TEMPERATURE) ? s.temperatureCelsius() : GpuSample.ABSENT);
      putIf(o, "sm_clock_mhz", s.smClockMhz());
      for (GpuMetric m : ACTIVITY) {
        putPercent(o, m.name().toLowerCase(Locale.ROOT) + "_percent",
            s.isLost() ? GpuSample.ABSENT : s.activityBasisPoints(m));
      }
      putPercent(o, "compute_utilization_percent", s.computeUtilizationBasisPoints());
      o.put("compute_utilization_source", s.computeUtilizationBasis().name().toLowerCase(Locale.ROOT));
      if (s.has(GpuMetric.PROCESSES)) {
        processes(o.putArray("processes"), s.processes());
      } else {
        o.putNull("processes");
      }
      if (s.has(GpuMetric.MIG_INSTANCES)) {
        ArrayNode migs = o.putArray("mig_instances");
        for (GpuMigInstance m : s.migInstances()) {
          ObjectNode mo = migs.addObject();
          mo.put("uuid", m.uuid());
          mo.put("gpu_instance_id", m.gpuInstanceId());
          mo.put("compute_instance_id", m.computeInstanceId());
          putIf(mo, "memory_used_bytes", m.memoryUsedBytes());
          putIf(mo, "memory_total_bytes", m.memoryTotalBytes());
          putPercent(mo, "sm_activity_percent", m.smActivityBasisPoints());
          putPercent(mo, "sm_occupancy_percent", m.smOccupancyBasisPoints());
          putPercent(mo, "tensor_activity_percent", m.tensorActivityBasisPoints());
          processes(mo.putArray("processes"), m.processes());
        }
      }
    }
    return json;
  }

  private static void processes(ArrayNode ps, List<GpuProcessUsage> list) {
    for (GpuProcessUsage p : list) {
      ObjectNode po = ps.addObject();
      po.put("pid", p.pid());
      putIf(po, "sm_percent", p.smPercent());
      putIf(po, "memory_utilization_percent", p.memoryUtilizationPercent());
      putIf(po, "used_memory_bytes", p.usedMemoryBytes());
      putIf(po, "gpu_instance_id", p.gpuInstanceId());
      putIf(po, "compute_instance_id", p.computeInstanceId());
    }
  }

  /** Basis points as an exact percent with two places, or JSON null for {@link GpuSample#ABSENT}. */
  private static void putPercent(ObjectNode o, String field, int basisPoints) {
    if (basisPoints == GpuSample.ABSENT) {
      o.putNull(field);
    } else {
      o.put(field, BigDecimal.valueOf(basisPoints, 2));
    }
  }

  /** A whole number, or JSON null for {@link GpuSample#ABSENT}. */
  private static void putIf(ObjectNode o, String field, long value) {
    if (value == GpuSample.ABSENT) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  private static void printText(NvmlSession nvml, long now, List<GpuSample> round, boolean first, PrintStream out) {
    if (first) {
      out.println("NVML " + (nvml.driverVersion() == null ? "(driver version unknown)" : nvml.driverVersion()) + ", "
          + nvml.devices().size() + " GPU" + (nvml.devices().size() == 1 ? "" : "s") + " (" + nvml.library() + ")");
      out.println();
      TextTable devices = TextTable.of(TextTable.Column.of("gpu", Align.LEFT), TextTable.Column.of("name", Align.LEFT), TextTable.Column.of("uuid", Align.LEFT), TextTable.Column.of("memory MiB", Align.DECIMAL), TextTable.Column.of("MIG", Align.LEFT)).noUnderline();
      for (NvmlDevice d : nvml.devices()) {
        devices.addRow(Integer.toString(d.index()), d.isAccessible() ? d.name() : d.status().nvmlName(),
            Formats.orNone(d.uuid()), mib(d.memoryTotalBytes()), d.migMode().name().toLowerCase(Locale.ROOT)
                .replace('_', ' '));
      }
      out.print(devices.render());
    }
    out.println();
    out.println(Instant.ofEpochMilli(now));
    TextTable t = TextTable.of(TextTable.Column.of("gpu", Align.LEFT), TextTable.Column.of("util %", Align.DECIMAL), TextTable.Column.of("mem util %", Align.DECIMAL), TextTable.Column.of("memory used MiB", Align.DECIMAL), TextTable.Column.of("power W", Align.DECIMAL), TextTable.Column.of("energy J", Align.DECIMAL), TextTable.Column.of("temp C", Align.DECIMAL), TextTable.Column.of("SM MHz", Align.DECIMAL), TextTable.Column.of("SM act %", Align.DECIMAL), TextTable.Column.of("tensor %", Align.DECIMAL), TextTable.Column.of("compute util", Align.LEFT), TextTable.Column.of("status", Align.LEFT)).noUnderline();
    TextTable migs = TextTable.of(TextTable.Column.of("gpu", Align.LEFT), TextTable.Column.of("MIG uuid", Align.LEFT), TextTable.Column.of("GI", Align.DECIMAL), TextTable.Column.of("CI", Align.DECIMAL), TextTable.Column.of("memory used MiB", Align.DECIMAL), TextTable.Column.of("SM act %", Align.DECIMAL), TextTable.Column.of("tensor %", Align.DECIMAL), TextTable.Column.of("processes", Align.LEFT)).noUnderline();
    TextTable procs = TextTable.of(TextTable.Column.of("gpu", Align.LEFT), TextTable.Column.of("pid", Align.DECIMAL), TextTable.Column.of("SM %", Align.DECIMAL), TextTable.Column.of("mem util %", Align.DECIMAL), TextTable.Column.of("memory MiB", Align.DECIMAL)).noUnderline();
    for (GpuSample s : round) {
      String gpu = Integer.toString(s.deviceIndex());
      t.addRow(gpu, whole(s.gpuUtilizationPercent()), whole(s.memoryUtilizationPercent()), mib(s.memoryUsedBytes()),
          thousandths(s.powerMilliwatts()), thousandths(s.energyMillijoules()),
          s.has(GpuMetric.TEMPERATURE) ? Integer.toString(s.temperatureCelsius()) : Formats.NONE,
          whole(s.smClockMhz()), hundredths(s.smActivityBasisPoints()), hundredths(s.tensorActivityBasisPoints()),
          utilization(s), s.isLost() ? "lost" : "ok");
      for (GpuMigInstance m : s.migInstances()) {
        migs.addRow(gpu, m.uuid(), Integer.toString(m.gpuInstanceId()), Integer.toString(m.computeInstanceId()),
            mib(m.memoryUsedBytes()), hundredths(m.smActivityBasisPoints()),
            hundredths(m.tensorActivityBasisPoints()),
            m.processes().stream().map(p -> Long.toString(p.pid())).reduce((a, b) -> a + " " + b)
                .orElse(Formats.NONE));
      }
      for (GpuProcessUsage p : s.processes()) {
        procs.addRow(gpu, Long.toString(p.pid()), whole(p.smPercent()), whole(p.memoryUtilizationPercent()),
            mib(p.usedMemoryBytes()));
      }
    }
    out.print(t.render());
    if (!migs.isEmpty()) {
      out.println();
      out.print(migs.render());
    }
    if (!procs.isEmpty()) {
      out.println();
      out.print(procs.render());
    }
  }

  /** "62.5% (GPM SM activity)", "40% (NVML time)", or none. */
  private static String utilization(GpuSample s) {
    int bp = s.computeUtilizationBasisPoints();
    if (bp == GpuSample.ABSENT) {
      return Formats.NONE;
    }
    String what = s.computeUtilizationBasis() == dev.finops.core.training.UtilizationBasis.GPM_SM_ACTIVITY
        ? "GPM SM activity" : "NVML time";
    return Formats.decimal(BigDecimal.valueOf(bp, 2)) + "% (" + what + ")";
  }

  private static String hundredths(int basisPoints) {
    return basisPoints == GpuSample.ABSENT ? Formats.NONE : Formats.decimal(BigDecimal.valueOf(basisPoints, 2));
  }

  private static String whole(long v) {
    return v == GpuSample.ABSENT ? Formats.NONE : Long.toString(v);
  }

  /** Milli-units (mW, mJ) as the exact unit (W, J). */
  private static String thousandths(long v) {
    return v == GpuSample.ABSENT ? Formats.NONE : Formats.decimal(BigDecimal.valueOf(v, 3));
  }

  /** Bytes as exact MiB (a power of two: the quotient terminates). */
  private static String mib(long bytes) {
    return bytes == GpuSample.ABSENT ? Formats.NONE : Formats.decimal(new BigDecimal(bytes).divide(MIB));
  }
}
