package dev.finops.core.allocation;

import dev.finops.core.Money;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Usage records read from a CSV file, for {@link SharedCostAllocator}. Immutable.
 *
 * <h2>Format</h2>
 *
 * UTF-8, comma-separated, one record per line; fields may be double-quoted ({@code ""} inside quotes
 * is a quote); blank lines are skipped. The first line is the header: any of the columns below, in
 * any order, {@code tenant} required, each at most once. A column that is present must have a value
 * on every line, except where a default is given.
 *
 * <table>
 *   <caption>usage columns</caption>
 *   <tr><th>column</th><th>value</th><th>when empty</th></tr>
 *   <tr><td>{@code tenant}</td><td>who used the asset (a team, a namespace), 1 to 256 characters</td><td>error</td></tr>
 *   <tr><td>{@code gpu_seconds}</td><td>wall GPU-seconds on the record's device, at most 3 decimals</td><td>error</td></tr>
 *   <tr><td>{@code utilization}</td><td>measured utilization, 0 to 1 ({@code 0.4}) or a percentage ({@code 40%}), to the basis point</td><td>not measured</td></tr>
 *   <tr><td>{@code tokens}</td><td>tokens, a whole number</td><td>error</td></tr>
 *   <tr><td>{@code requests}</td><td>requests, a whole number</td><td>error</td></tr>
 *   <tr><td>{@code weight}</td><td>a custom weight, a decimal</td><td>error</td></tr>
 *   <tr><td>{@code gpu_fraction}</td><td>the share of a GPU the device is: {@code 0.5}, {@code 1/7} or a MIG profile {@code 1g.10gb} ({@link GpuFraction})</td><td>1</td></tr>
 *   <tr><td>{@code owner}</td><td>{@code true}/{@code false} ({@code yes}/{@code no}, {@code 1}/{@code 0}): the tenant owns the asset</td><td>false</td></tr>
 * </table>
 *
 * <p>Numbers are plain decimals: no sign, no exponent, no thousands separators. Every problem (an
 * unknown or repeated column, a missing, negative or non-numeric value, too many fields) throws a
 * {@link UsageCsvException} naming the file, the line and the column.
 */
public final class UsageCsv {

  public static final String TENANT = "tenant";
  public static final String GPU_SECONDS = "gpu_seconds";
  public static final String UTILIZATION = "utilization";
  public static final String TOKENS = "tokens";
  public static final String REQUESTS = "requests";
  public static final String WEIGHT = "weight";
  public static final String GPU_FRACTION = "gpu_fraction";
  public static final String OWNER = "owner";

  /** The columns a usage file may have, in documentation order. */
  public static final List<String> COLUMNS =
      List.of(TENANT, GPU_SECONDS, UTILIZATION, TOKENS, REQUESTS, WEIGHT, GPU_FRACTION, OWNER);

  private static final Pattern WHOLE = Pattern.compile("\\d+");
  private static final Pattern NEGATIVE_WHOLE = Pattern.compile("-\\d+");

  private final String source;
  private final List<String> columns;
  private final List<UsageRecord> records;

  private UsageCsv(String source, List<String> columns, List<UsageRecord> records) {
    this.source = source;
    this.columns = Collections.unmodifiableList(columns);
    this.records = Collections.unmodifiableList(records);
  }

  /**
   * Reads a usage file.
   *
   * @throws UsageCsvException naming the file, line and column of the first problem
   * @throws IOException if the file cannot be read
   */
  public static UsageCsv read(Path file) throws IOException {
    return read(new java.io.StringReader(utf8(Files.readAllBytes(file), file.toString())), file.toString());
  }

  /** The text of a file; bytes that are not UTF-8 (a binary file, another encoding) are named by line. */
  private static String utf8(byte[] bytes, String source) {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.charset.CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new UsageCsvException(source, line, null, "not UTF-8 text (a binary file, or another encoding)");
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /**
   * Reads usage records from {@code reader}; {@code source} names it in errors.
   *
   * @throws UsageCsvException naming the source, line and column of the first problem
   */
  public static UsageCsv read(Reader reader, String source) throws IOException {
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(source, "source");
    BufferedReader in = reader instanceof BufferedReader ? (BufferedReader) reader : new BufferedReader(reader);
    List<String> header = null;
    List<UsageRecord> records = new ArrayList<>();
    int lineNo = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      List<String> fields = fields(line, source, lineNo, header);
      if (header == null) {
        header = header(fields, source, lineNo);
      } else {
        records.add(record(header, fields, source, lineNo));
      }
    }
    if (header == null) {
      throw new UsageCsvException(source, Math.max(1, lineNo), null, "empty file: expected a header line with the "
          + "columns " + String.join(",", COLUMNS));
    }
    return new UsageCsv(source, header, records);
  }

  /** The file name (or source) the records came from. */
  public String source() {
    return source;
  }

  /** The header's columns, in file order. */
  public List<String> columns() {
    return columns;
  }

  /** True if the header has {@code column}. */
  public boolean has(String column) {
    return columns.contains(column);
  }

  /** The records, in file order. */
  public List<UsageRecord> records() {
    return records;
  }

  private static List<String> header(List<String> fields, String source, int lineNo) {
    List<String> header = new ArrayList<>(fields.size());
    for (String f : fields) {
      String name = f.toLowerCase(Locale.ROOT);
      if (!COLUMNS.contains(name)) {
        throw new UsageCsvException(source, lineNo, f, "unknown column (the columns are " + String.join(", ", COLUMNS)
            + ")");
      }
      if (header.contains(name)) {
        throw new UsageCsvException(source, lineNo, f, "repeated column");
      }
      header.add(name);
    }
    if (!header.contains(TENANT)) {
      throw new UsageCsvException(source, lineNo, TENANT, "missing column: every usage file needs a tenant column");
    }
    return header;
  }

  private static UsageRecord record(List<String> header, List<String> fields, String source, int lineNo) {
    if (fields.size() > header.size()) {
      throw new UsageCsvException(source, lineNo, "#" + (header.size() + 1),
          "unexpected field: the line has " + fields.size() + " fields, the header " + header.size());
    }
    int tenantAt = header.indexOf(TENANT);
    String tenant = tenantAt < fields.size() ? fields.get(tenantAt) : "";
    if (tenant.isEmpty()) {
      throw new UsageCsvException(source, lineNo, TENANT, "missing value");
    }
    UsageRecord.Builder b;
    try {
      b = UsageRecord.builder(tenant);
    } catch (IllegalArgumentException e) {
      throw new UsageCsvException(source, lineNo, TENANT, e.getMessage());
    }
    for (int i = 0; i < header.size(); i++) {
      String column = header.get(i);
      String value = i < fields.size() ? fields.get(i) : null;
      if (value == null || (value.isEmpty() && !TENANT.equals(column))) {
        if (value == null || !hasDefault(column)) {
          throw new UsageCsvException(source, lineNo, column, "missing value");
        }
        continue;
      }
      try {
        set(b, column, value);
      } catch (IllegalArgumentException e) {
        throw new UsageCsvException(source, lineNo, column, e.getMessage());
      }
    }
    return b.build();
  }

  private static boolean hasDefault(String column) {
    return column.equals(UTILIZATION) || column.equals(GPU_FRACTION) || column.equals(OWNER);
  }

  /** Sets one column's value; problems are IllegalArgumentExceptions whose message says what is wrong. */
  private static void set(UsageRecord.Builder b, String column, String value) {
    switch (column) {
      case GPU_SECONDS:
        BigDecimal seconds = decimal(value);
        if (seconds.stripTrailingZeros().scale() > 3) {
          throw new IllegalArgumentException("at most 3 decimals (whole milliseconds): '" + value + "'");
        }
        try {
          b.gpuMillis(seconds.movePointRight(3).longValueExact());
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException("too large: '" + value + "'");
        }
        break;
      case UTILIZATION:
        boolean percent = value.endsWith("%");
        BigDecimal u = decimal(percent ? value.substring(0, value.length() - 1).trim() : value);
        if (percent) {
          u = u.movePointLeft(2);
        }
        if (u.compareTo(BigDecimal.ONE) > 0) {
          throw new IllegalArgumentException("must be between 0 and 1 (or 0% and 100%): '" + value + "'");
        }
        if (u.stripTrailingZeros().scale() > 4) {
          throw new IllegalArgumentException("at most 4 decimals (basis points): '" + value + "'");
        }
        b.utilizationBasisPoints(u.movePointRight(4).intValueExact());
        break;
      case TOKENS:
        b.tokens(whole(value));
        break;
      case REQUESTS:
        b.requests(whole(value));
        break;
      case WEIGHT:
        b.weight(decimal(value));
        break;
      case GPU_FRACTION:
        b.fraction(GpuFraction.parse(value));
        break;
      case OWNER:
        b.owner(bool(value));
        break;
      default: // tenant: set by the builder
        break;
    }
  }

  private static BigDecimal decimal(String value) {
    BigDecimal d;
    try {
      d = Money.parseDecimal(value, false);
    } catch (NumberFormatException e) {
      throw value.length() > Money.MAX_DECIMAL_LENGTH ? new IllegalArgumentException(e.getMessage())
          : notANumber(value, "a decimal number");
    }
    if (d.signum() < 0 || value.strip().startsWith("-")) {
      throw new IllegalArgumentException("must not be negative: '" + value + "'");
    }
    return d;
  }

  private static long whole(String value) {
    if (!WHOLE.matcher(value).matches()) {
      throw notANumber(value, "a whole number");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("too large: '" + value + "'");
    }
  }

  private static IllegalArgumentException notANumber(String value, String what) {
    if (NEGATIVE_WHOLE.matcher(value).matches()) {
      return new IllegalArgumentException("must not be negative: '" + value + "'");
    }
    return new IllegalArgumentException("not " + what + ": '" + value + "'");
  }

  private static boolean bool(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "1":
        return true;
      case "false":
      case "no":
      case "0":
        return false;
      default:
        throw new IllegalArgumentException("not true or false: '" + value + "'");
    }
  }

  /** The fields of one line: trimmed, quotes removed. */
  private static List<String> fields(String line, String source, int lineNo, List<String> header) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      StringBuilder f = new StringBuilder();
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new UsageCsvException(source, lineNo, columnName(header, out.size()), "unterminated quoted value");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              f.append('"');
              i++;
            } else {
              break;
            }
          } else {
            f.append(c);
          }
        }
        while (i < n && line.charAt(i) == ' ') {
          i++;
        }
        if (i < n && line.charAt(i) != ',') {
          throw new UsageCsvException(source, lineNo, columnName(header, out.size()),
              "characters after a quoted value");
        }
        out.add(f.toString());
      } else {
        int comma = line.indexOf(',', i);
        int end = comma < 0 ? n : comma;
        out.add(line.substring(i, end).trim());
        i = end;
      }
      if (i >= n) {
        return out;
      }
      i++; // the comma
      if (i == n) {
        out.add("");
        return out;
      }
    }
  }

  private static String columnName(List<String> header, int index) {
    return header != null && index < header.size() ? header.get(index) : "#" + (index + 1);
  }

  @Override
  public String toString() {
    return "UsageCsv{" + source + ", columns=" + columns + ", records=" + records.size() + "}";
  }
}
