package io.greenpledge.valuation;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact decimal arithmetic on scaled longs (fen, micro-units, 1e-4 units): products are exact and
 * rounded once, half-even. The long path covers every ordinary position; a product that would
 * overflow 64 bits is done in {@link BigDecimal}, so the result is the same for every input the
 * contract allows, only slower.
 */
public final class Exact {

  private Exact() {}

  /** round_half_even(a × b / divisor), divisor > 0. */
  public static long mulDiv(long a, long b, long divisor) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
      return div(low, divisor);
    }
    return BigDecimal.valueOf(a)
        .multiply(BigDecimal.valueOf(b))
        .divide(BigDecimal.valueOf(divisor), 0, RoundingMode.HALF_EVEN)
        .longValueExact();
  }

  /** ceil(a × b / divisor) for a, b ≥ 0, divisor > 0. */
  public static long mulDivCeil(long a, long b, long divisor) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if (high == 0 && low >= 0) {
      return ceilDiv(low, divisor);
    }
    return BigDecimal.valueOf(a)
        .multiply(BigDecimal.valueOf(b))
        .divide(BigDecimal.valueOf(divisor), 0, RoundingMode.CEILING)
        .longValueExact();
  }

  /** round_half_even(a × b × c / divisor), divisor > 0. */
  public static long mulMulDiv(long a, long b, long c, long divisor) {
    try {
      return mulDiv(Math.multiplyExact(a, b), c, divisor);
    } catch (ArithmeticException overflow) {
      return BigDecimal.valueOf(a)
          .multiply(BigDecimal.valueOf(b))
          .multiply(BigDecimal.valueOf(c))
          .divide(BigDecimal.valueOf(divisor), 0, RoundingMode.HALF_EVEN)
          .longValueExact();
    }
  }

  /** round_half_even(n / d), d > 0. */
  public static long div(long n, long d) {
    long q = Math.floorDiv(n, d);
    long r = n - q * d; // 0 ≤ r < d
    int half = Long.compare(r, d - r);
    return half > 0 || (half == 0 && (q & 1) != 0) ? q + 1 : q;
  }

  /** ceil(n / d) for n ≥ 0, d > 0. */
  public static long ceilDiv(long n, long d) {
    return -Math.floorDiv(-n, d);
  }

  private static final double[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  /**
   * A double that holds a decimal of at most {@code scale} places (as the book keeps it) in units
   * of 10^-scale. Fast path: when u / 10^scale is the same double, u is that decimal (for up to 15
   * significant digits the nearest double of a decimal identifies it); otherwise BigDecimal.
   */
  public static long units(double value, int scale) {
    double scaled = value * POWERS[scale];
    if (Math.abs(scaled) < 1e15) {
      long candidate = Math.round(scaled);
      if (candidate / POWERS[scale] == value) {
        return candidate;
      }
    }
    return BigDecimal.valueOf(value)
        .setScale(scale, RoundingMode.HALF_EVEN)
        .unscaledValue()
        .longValueExact();
  }

  /**
   * A double's exact binary value rounded half-even to millionths, as {@code new BigDecimal(value)
   * .setScale(6, HALF_EVEN)} would, without building the BigDecimal unless the value sits within
   * 1e-6 of a tie (there the product's rounding error could matter).
   */
  public static long micro(double value) {
    double scaled = value * 1_000_000;
    if (Math.abs(scaled) < 1e12) {
      double floor = Math.floor(scaled);
      double fraction = scaled - floor;
      if (Math.abs(fraction - 0.5) > 1e-6) {
        return (long) floor + (fraction > 0.5 ? 1 : 0);
      }
    }
    return new BigDecimal(value)
        .setScale(6, RoundingMode.HALF_EVEN)
        .unscaledValue()
        .longValueExact();
  }

  public static BigDecimal decimal(long units, int scale) {
    return BigDecimal.valueOf(units, scale);
  }
}
