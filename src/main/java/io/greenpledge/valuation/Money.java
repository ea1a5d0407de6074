package io.greenpledge.valuation;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * CNY on the wire: half-even to 0.01. Totals add the rounded fen as longs, so a total always equals
 * the sum of the amounts shown beside it.
 */
public final class Money {

  private Money() {}

  public static long cents(double amount) {
    if (Double.isNaN(amount) || Double.isInfinite(amount)) {
      return 0;
    }
    return BigDecimal.valueOf(amount)
        .setScale(2, RoundingMode.HALF_EVEN)
        .movePointRight(2)
        .longValueExact();
  }

  public static BigDecimal ofCents(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }
}
