package dev.finops.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog's hand-written date reader accepts exactly what {@link LocalDate#parse} accepts. */
class CatalogDatesTest {

  private static LocalDate javaTime(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Test
  void everyDayOfFiveYearsAroundALeapYearReadsAsJavaTimeReadsIt() {
    for (LocalDate d = LocalDate.of(2022, 1, 1); d.isBefore(LocalDate.of(2027, 1, 1)); d = d.plusDays(1)) {
      assertThat(CatalogReader.isoDate(d.toString())).isEqualTo(d);
    }
  }

  @Test
  void whatJavaTimeRefusesIsRefused() {
    for (String s : List.of("2023-02-29", "2024-02-30", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
        "2024-1-01x", "2024/01/01", "20240101xx", "2024-01-1a", " 2024-01-0", "２０２４-01-01", "2024-01-32",
        "-024-01-01", "2024--1-01")) {
      assertThat(CatalogReader.isoDate(s)).as(s).isEqualTo(javaTime(s)).isNull();
    }
    for (String s : List.of("2024-02-29", "0000-01-01", "9999-12-31", "2100-02-28")) {
      assertThat(CatalogReader.isoDate(s)).as(s).isEqualTo(javaTime(s)).isNotNull();
    }
  }

  @Test
  void aVersionDatedOnADayThatDoesNotExistIsNamedWithItsField() {
    String json = "{\"format_version\": 1, \"catalog_version\": \"t\", \"currency\": \"USD\", \"models\": [{"
        + "\"provider\": \"p\", \"id\": \"m\", \"versions\": [{\"valid_from\": \"2025-02-29\","
        + " \"prices\": {\"input\": \"1\"}}]}]}";
    assertThatThrownBy(() -> PriceCatalog.parse("bad.json",
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("bad.json").hasMessageContaining("valid_from").hasMessageContaining("2025-02-29");
  }
}
