package dev.finops.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading usage records from CSV; every bad input names the line and the column. */
class UsageCsvTest {

  static UsageCsv read(String csv) throws IOException {
    return UsageCsv.read(new StringReader(csv), "usage.csv");
  }

  static UsageCsvException failure(String csv) {
    return catchThrowableOfType(UsageCsvException.class, () -> read(csv));
  }

  @Test
  void readsEveryColumnWithItsDefaults() throws IOException {
    UsageCsv csv = read("""
        tenant,gpu_seconds,utilization,tokens,requests,weight,gpu_fraction,owner
        team-a,3600,0.4,1200,3,1.5,1g.10gb,false
        "team, b",12.5,40%,0,0,0,1/7,yes
        platform,0,,0,0,0,,true

        team-a,1,,7,1,0,0.5,
        """);

    List<UsageRecord> r = csv.records();
    assertThat(csv.columns()).containsExactly("tenant", "gpu_seconds", "utilization", "tokens", "requests", "weight",
        "gpu_fraction", "owner");
    assertThat(r).hasSize(4);
    assertThat(r.get(0).gpuMillis()).isEqualTo(3_600_000);
    assertThat(r.get(0).utilizationBasisPoints()).isEqualTo(4_000);
    assertThat(r.get(0).fraction()).isEqualTo(GpuFraction.of(1, 7));
    assertThat(r.get(0).weight()).isEqualByComparingTo("1.5");
    assertThat(r.get(1).tenant()).isEqualTo("team, b");
    assertThat(r.get(1).gpuMillis()).isEqualTo(12_500);
    assertThat(r.get(1).utilizationBasisPoints()).isEqualTo(4_000);
    assertThat(r.get(1).owner()).isTrue();
    assertThat(r.get(2).hasUtilization()).isFalse();
    assertThat(r.get(2).fraction()).isEqualTo(GpuFraction.WHOLE);
    assertThat(r.get(3).owner()).isFalse();
    assertThat(r.get(3).fraction()).isEqualTo(GpuFraction.of(1, 2));
  }

  @Test
  void onlyTheTenantColumnIsRequired() throws IOException {
    UsageCsv csv = read("Tenant\na\nb\n");

    assertThat(csv.records()).extracting(UsageRecord::tenant).containsExactly("a", "b");
    assertThat(csv.has(UsageCsv.GPU_SECONDS)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
      negative gpu_seconds    | tenant,gpu_seconds\\na,1\\nb,-5        | 3 | gpu_seconds  | must not be negative: '-5'
      non-numeric tokens      | tenant,tokens\\na,12x                  | 2 | tokens       | not a whole number: '12x'
      missing value           | tenant,tokens\\na,                     | 2 | tokens       | missing value
      missing field           | tenant,tokens,requests\\na,1           | 2 | requests     | missing value
      missing tenant          | tenant,tokens\\n,1                     | 2 | tenant       | missing value
      too many fields         | tenant,tokens\\na,1,2                  | 2 | #3           | unexpected field
      unknown column          | tenant,gpu_hours\\na,1                 | 1 | gpu_hours    | unknown column
      repeated column         | tenant,tokens,tokens\\na,1,1           | 1 | tokens       | repeated column
      no tenant column        | tokens\\n1                             | 1 | tenant       | missing column
      finer than a millisecond| tenant,gpu_seconds\\na,0.0001          | 2 | gpu_seconds  | at most 3 decimals
      utilization above 1     | tenant,utilization\\na,1.2             | 2 | utilization  | between 0 and 1
      exponent                | tenant,weight\\na,1e3                  | 2 | weight       | not a decimal number: '1e3'
      bad fraction            | tenant,gpu_fraction\\na,9g.90gb        | 2 | gpu_fraction | compute slices
      bad owner               | tenant,owner\\na,maybe                 | 2 | owner        | not true or false
      reserved tenant         | tenant\\n__idle__                      | 2 | tenant       | reserved
      unterminated quote      | tenant,tokens\\n"a,1                   | 2 | tenant       | unterminated
      """)
  void badInputNamesTheLineAndColumn(String what, String csv, int line, String column, String problem) {
    UsageCsvException e = failure(csv.replace("\\n", "\n"));

    assertThat(e).as(what).isNotNull();
    assertThat(e.line()).as(what).isEqualTo(line);
    assertThat(e.column()).as(what).isEqualTo(column);
    assertThat(e.source()).isEqualTo("usage.csv");
    assertThat(e.getMessage()).as(what).startsWith("usage.csv:" + line + ": column '" + column + "': ")
        .contains(problem);
  }

  @Test
  void anEmptyFileNeedsAHeader() {
    assertThat(failure("").getMessage()).isEqualTo(
        "usage.csv:1: empty file: expected a header line with the columns "
            + "tenant,gpu_seconds,utilization,tokens,requests,weight,gpu_fraction,owner");
  }

  @Test
  void readsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("u.csv");
    Files.writeString(f, "\uFEFFtenant,gpu_seconds\na,1.5\nb,abc\n");

    UsageCsvException e = catchThrowableOfType(UsageCsvException.class, () -> UsageCsv.read(f));

    assertThat(e.getMessage()).isEqualTo(f + ":3: column 'gpu_seconds': not a decimal number: 'abc'");
    Files.writeString(f, "tenant,gpu_seconds\na,1.5\n");
    assertThat(UsageCsv.read(f).records().get(0).gpuMillis()).isEqualTo(1_500);
    assertThat(UsageCsv.read(f).records().get(0).weight()).isNull();
  }

  @Test
  void aFileThatIsNotUtf8IsNamedWithItsLine(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("usage.csv");
    byte[] latin1 = "tenant,gpu_seconds\nnlp,10\ncaf\u00e9,5\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.write(f, latin1);

    UsageCsvException e = catchThrowableOfType(() -> UsageCsv.read(f), UsageCsvException.class);

    assertThat(e).hasMessage(f + ":3: not UTF-8 text (a binary file, or another encoding)");
    assertThat(e.line()).isEqualTo(3);
  }
}
