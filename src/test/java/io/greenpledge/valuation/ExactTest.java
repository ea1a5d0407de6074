package io.greenpledge.valuation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast paths of exact arithmetic against BigDecimal, on seeded random and boundary inputs. */
class ExactTest {

  @Test
  void divisionAgreesWithBigDecimalAcrossTheFastPathsEdges() {
    SplittableRandom random = new SplittableRandom(22);
    long edge = 1L << 53;
    for (int i = 0; i < 400_000; i++) {
      long n =
          switch (i % 4) {
            case 0 -> random.nextLong(-edge, edge);
            case 1 -> edge - 1 - random.nextLong(1_000_000); // just inside the exact doubles
            case 2 -> random.nextLong(); // anywhere: the integer path
            default -> random.nextLong(-1_000_000_000L, 1_000_000_000L);
          };
      long d =
          switch (i % 3) {
            case 0 -> random.nextLong(1, 1_000);
            case 1 -> random.nextLong(1, edge);
            default -> random.nextLong(1, Long.MAX_VALUE);
          };
      long expected =
          BigDecimal.valueOf(n)
              .divide(BigDecimal.valueOf(d), 0, RoundingMode.HALF_EVEN)
              .longValueExact();
      assertEquals(expected, Exact.div(n, d), n + " / " + d);
      // ties: n = d × k + d / 2 for even d
      long even = 2 * random.nextLong(1, 1L << 20);
      long k = random.nextLong(-(1L << 30), 1L << 30);
      long tie = even * k + even / 2;
      assertEquals(
          BigDecimal.valueOf(tie)
              .divide(BigDecimal.valueOf(even), 0, RoundingMode.HALF_EVEN)
              .longValueExact(),
          Exact.div(tie, even),
          tie + " / " + even);
    }
  }

  @Test
  void roundingOnceHalfEvenAgreesWithBigDecimal() {
    assertEquals(2, Exact.div(5, 2)); // 2.5 → 2
    assertEquals(4, Exact.div(7, 2)); // 3.5 → 4
    assertEquals(-2, Exact.div(-5, 2)); // −2.5 → −2
    SplittableRandom random = new SplittableRandom(14);
    for (int i = 0; i < 200_000; i++) {
      long a = random.nextLong(1, 1L << 40);
      long b = random.nextLong(1, 1L << 40);
      long d = random.nextLong(1L << 21, 1L << 30); // keeps the quotient within 64 bits
      long expected =
          BigDecimal.valueOf(a)
              .multiply(BigDecimal.valueOf(b))
              .divide(BigDecimal.valueOf(d), 0, RoundingMode.HALF_EVEN)
              .longValueExact();
      assertEquals(expected, Exact.mulDiv(a, b, d), a + " × " + b + " / " + d);
    }
  }

  @Test
  void quantitiesWithFourDecimalsAreReadExactly() {
    SplittableRandom random = new SplittableRandom(15);
    for (int i = 0; i < 200_000; i++) {
      long units = random.nextLong(1, 9_999_999_999_999L); // up to 999,999,999.9999
      double quantity = BigDecimal.valueOf(units, 4).doubleValue();
      assertEquals(units, Exact.units(quantity, 4), String.valueOf(quantity));
    }
  }

  @Test
  void microAgreesWithTheExactBinaryValueRoundedHalfEven() {
    SplittableRandom random = new SplittableRandom(16);
    for (int i = 0; i < 200_000; i++) {
      double value =
          random.nextInt(4) == 0 ? random.nextInt(1_000_000) / 1e6 + 5e-7 : random.nextDouble();
      long expected =
          new BigDecimal(value)
              .setScale(6, RoundingMode.HALF_EVEN)
              .unscaledValue()
              .longValueExact();
      assertEquals(expected, Exact.micro(value), String.valueOf(value));
    }
  }
}
