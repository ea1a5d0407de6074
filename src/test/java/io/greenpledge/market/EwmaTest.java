package io.greenpledge.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The σ rule of the design: EWMA seeded with the sample variance of the first ten returns. */
class EwmaTest {

  private static List<Ewma.Return> returns(double... scaled) {
    List<Ewma.Return> list = new ArrayList<>();
    for (double r : scaled) {
      list.add(new Ewma.Return(r));
    }
    return list;
  }

  @Test
  void theSeedIsTheSampleVarianceOfTheFirstTenReturns() {
    // returns ±0.01 alternating: mean 0, Σr² = 10 × 0.0001 = 0.001,
    // sample variance = 0.001 / 9 = 0.000111111
    List<Ewma.Return> ten =
        returns(0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.01, -0.01, 0.01, -0.01);
    assertEquals(0.001 / 9, Ewma.variance(ten, 0.94), 1e-15);
    // an 11th return of −0.099 (a −9.9 % day): σ² = 0.94 × 0.000111111 + 0.06 × 0.009801 =
    // 0.000692504
    List<Ewma.Return> eleven = new ArrayList<>(ten);
    eleven.add(new Ewma.Return(-0.099));
    assertEquals(0.94 * 0.001 / 9 + 0.06 * 0.009801, Ewma.variance(eleven, 0.94), 1e-15);
  }

  @Test
  void fewerThanTenReturnsGiveNoEstimate() {
    assertTrue(
        Double.isNaN(
            Ewma.variance(returns(0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09), 0.94)));
  }

  @Test
  void aReturnSpanningSeveralTradingDaysCountsAsRootK() {
    // ln(121/100) = 0.190620 over 4 trading days → 0.190620 / √4 = 0.095310
    assertEquals(Math.log(1.21) / 2, Ewma.Return.of(100, 121, 4).scaled(), 1e-15);
  }
}
