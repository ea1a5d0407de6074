package io.greenpledge.valuation;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * How much of an expiring right's value is left: remaining term over original term, in days,
 * between 0 and 1, half-even to 6 decimals (the served factor is the one that multiplies into MV).
 * A right that does not expire keeps its full value (1).
 */
public final class TermFactor {

  public static final long ONE = 1_000_000;

  private TermFactor() {}

  /** In millionths. */
  public static long micro(LocalDate start, LocalDate expiry, LocalDate asOf) {
    if (start == null || expiry == null) {
      return ONE;
    }
    long original = ChronoUnit.DAYS.between(start, expiry);
    long remaining = ChronoUnit.DAYS.between(asOf, expiry);
    if (original <= 0 || remaining <= 0) {
      return 0;
    }
    return Math.min(ONE, Exact.mulDiv(remaining, ONE, original));
  }

  public static double of(LocalDate start, LocalDate expiry, LocalDate asOf) {
    return micro(start, expiry, asOf) / (double) ONE;
  }
}
