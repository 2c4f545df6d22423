package dev.finops.advisor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An endpoint's requests, sorted by time: arrival (epoch milliseconds), input and output tokens. Read
 * from a CSV whose column names are given; a bad value stops the read with an {@link
 * AdvisorInputException} naming file, line and column. Immutable.
 */
public final class RequestLog {
  private final long[] times;
  private final long[] input;
  private final long[] output;

  /** Builds a log from parallel arrays (copied and sorted by time). */
  public RequestLog(long[] times, long[] input, long[] output) {
    int n = times.length;
    if (input.length != n || output.length != n) {
      throw new IllegalArgumentException("times, input and output differ in length");
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
    this.times = new long[n];
    this.input = new long[n];
    this.output = new long[n];
    for (int i = 0; i < n; i++) {
      this.times[i] = times[order[i]];
      this.input[i] = input[order[i]];
      this.output[i] = output[order[i]];
    }
  }

  /** The column names of a request CSV. */
  public record Columns(String time, String inputTokens, String outputTokens) {
    public static final Columns DEFAULTS = new Columns("timestamp", "input_tokens", "output_tokens");
  }

  public static RequestLog read(Path file, Columns columns) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(file.toString(), r, columns);
    } catch (NoSuchFileException e) {
      throw new AdvisorInputException(file.toString(), 0, null, "no such file");
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  public static RequestLog read(String name, Reader reader, Columns columns) {
    CsvReader csv = new CsvReader(name, reader);
    int t = csv.requiredColumn(columns.time(), "request time");
    int in = csv.requiredColumn(columns.inputTokens(), "input tokens");
    int out = csv.requiredColumn(columns.outputTokens(), "output tokens");
    long[] times = new long[1024];
    long[] inputs = new long[1024];
    long[] outputs = new long[1024];
    int n = 0;
    while (csv.next()) {
      if (n == times.length) {
        times = Arrays.copyOf(times, n * 2);
        inputs = Arrays.copyOf(inputs, n * 2);
        outputs = Arrays.copyOf(outputs, n * 2);
      }
      times[n] = csv.epochMillis(t);
      inputs[n] = csv.count(in);
      outputs[n] = csv.count(out);
      n++;
    }
    if (n == 0) {
      throw new AdvisorInputException(name, 0, null, "no requests");
    }
    return new RequestLog(Arrays.copyOf(times, n), Arrays.copyOf(inputs, n), Arrays.copyOf(outputs, n));
  }

  public int size() {
    return times.length;
  }

  public long time(int i) {
    return times[i];
  }

  public long inputTokens(int i) {
    return input[i];
  }

  public long outputTokens(int i) {
    return output[i];
  }
}
