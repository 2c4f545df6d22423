package dev.finops.advisor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a GPU utilization CSV into one {@link GpuSeries} per GPU, streaming (memory grows with the
 * number of GPUs, not of rows). The time, GPU, utilization and memory-used columns are required;
 * memory total, power, job and team are read when the header has them. Any bad value stops the read
 * with an {@link AdvisorInputException} naming file, line and column.
 */
public final class UtilizationReader {

  private UtilizationReader() {}

  public static List<GpuSeries> read(Path file, UtilizationColumns columns) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(file.toString(), r, columns);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new AdvisorInputException(file.toString(), 0, null, "no such file");
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Reads {@code reader} (named {@code name} in errors); the GPUs come back sorted by id. */
  public static List<GpuSeries> read(String name, Reader reader, UtilizationColumns columns) {
    CsvReader csv = new CsvReader(name, reader);
    int time = csv.requiredColumn(columns.time(), "sample time");
    int gpu = csv.requiredColumn(columns.gpu(), "GPU id");
    int util = csv.requiredColumn(columns.utilization(), "utilization");
    int memUsed = csv.requiredColumn(columns.memoryUsed(), "memory used, MiB");
    int memTotal = csv.column(columns.memoryTotal());
    int power = csv.column(columns.power());
    int job = csv.column(columns.job());
    int team = csv.column(columns.team());
    double scale = columns.fraction() ? 100.0 : 1.0;
    double max = columns.fraction() ? 1.0 : 100.0;
    Map<String, GpuSeries> byGpu = new HashMap<>();
    while (csv.next()) {
      long t = csv.epochMillis(time);
      String id = csv.requiredText(gpu);
      double u = csv.number(util);
      if (u > max) {
        throw csv.error(util, "utilization above " + (columns.fraction() ? "1 (a fraction)" : "100 (percent)")
            + ": '" + csv.text(util) + "'");
      }
      double used = csv.number(memUsed);
      double total = memTotal < 0 || csv.text(memTotal) == null ? Double.NaN : csv.number(memTotal);
      if (!Double.isNaN(total) && used > total) {
        throw csv.error(memUsed, "memory used " + csv.text(memUsed) + " is above the total " + csv.text(memTotal));
      }
      double watts = power < 0 || csv.text(power) == null ? Double.NaN : csv.number(power);
      String j = job < 0 ? null : csv.text(job);
      String tm = team < 0 ? null : csv.text(team);
      byGpu.computeIfAbsent(id, GpuSeries::new).add(t, u * scale, used, total, watts, j, tm);
    }
    if (byGpu.isEmpty()) {
      throw new AdvisorInputException(name, 0, null, "no samples");
    }
    List<GpuSeries> out = new ArrayList<>(byGpu.values());
    out.sort(Comparator.comparing(GpuSeries::gpu));
    return out;
  }
}
