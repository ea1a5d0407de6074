package io.greenpledge.valuation;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * How much of an expiring right's value is left: remaining term over original term, in days,
 * between 0 and 1. A right that does not expire keeps its full value (1).
 */
public final class TermFactor {

  private TermFactor() {}

  public static double of(LocalDate start, LocalDate expiry, LocalDate asOf) {
    if (start == null || expiry == null) {
      return 1.0;
    }
    long original = ChronoUnit.DAYS.between(start, expiry);
    long remaining = ChronoUnit.DAYS.between(asOf, expiry);
    if (original <= 0 || remaining <= 0) {
      return 0.0;
    }
    return Math.min(1.0, (double) remaining / original);
  }
}
