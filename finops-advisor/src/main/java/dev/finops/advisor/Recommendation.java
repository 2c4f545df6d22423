package dev.finops.advisor;

import dev.finops.core.Money;
import java.util.List;
import java.util.Objects;

/**
 * One thing to do, with why (the measured evidence), what it takes for granted (the assumption) and
 * what it saves per month, priced exactly from the catalog (never a double). Immutable.
 *
 * @param kind what kind of action ({@code idle-gpu}, {@code consolidate}, {@code mig-slice},
 *     {@code cheaper-gpu}, ...)
 * @param subjects what it applies to (GPU ids, an endpoint)
 * @param action the action, one sentence
 * @param evidence the measurements it rests on
 * @param assumption what it assumes
 * @param monthlySaving the saving over a month of {@value Advisor#HOURS_PER_MONTH} hours; exact
 */
public record Recommendation(
    String kind, List<String> subjects, String action, String evidence, String assumption, Money monthlySaving) {

  public Recommendation {
    Objects.requireNonNull(kind, "kind");
    subjects = List.copyOf(subjects);
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(assumption, "assumption");
    Objects.requireNonNull(monthlySaving, "monthlySaving");
  }
}
