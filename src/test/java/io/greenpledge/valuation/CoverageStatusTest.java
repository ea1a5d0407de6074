package io.greenpledge.valuation;

import static io.greenpledge.valuation.CoverageStatus.DISPOSAL;
import static io.greenpledge.valuation.CoverageStatus.HEALTHY;
import static io.greenpledge.valuation.CoverageStatus.MARGIN_CALL;
import static io.greenpledge.valuation.CoverageStatus.WARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Lines 1.40 / 1.30 / 1.20 with a 0.02 hysteresis band on the way back up. */
class CoverageStatusTest {

  private final Lines lines = Lines.DEFAULT;

  @Test
  void warningFiresWhenCoverageFallsBelow140Percent() {
    assertEquals(HEALTHY, CoverageStatus.next(HEALTHY, 1.40, lines));
    assertEquals(WARNING, CoverageStatus.next(HEALTHY, 1.3999, lines));
  }

  @Test
  void marginCallFiresWhenCoverageFallsBelow130Percent() {
    assertEquals(MARGIN_CALL, CoverageStatus.next(WARNING, 1.2999, lines));
  }

  @Test
  void disposalFiresWhenCoverageFallsBelow120Percent() {
    assertEquals(DISPOSAL, CoverageStatus.next(MARGIN_CALL, 1.1999, lines));
  }

  @Test
  void aCrashSkipsStraightToDisposal() {
    assertEquals(DISPOSAL, CoverageStatus.next(HEALTHY, 1.0, lines));
  }

  @Test
  void recoveryNeedsTheLinePlusTwoPoints() {
    // Out of MARGIN_CALL needs coverage ≥ 1.30 + 0.02 = 1.32.
    assertEquals(MARGIN_CALL, CoverageStatus.next(MARGIN_CALL, 1.31, lines));
    assertEquals(WARNING, CoverageStatus.next(MARGIN_CALL, 1.32, lines));
    // Back to HEALTHY needs 1.42.
    assertEquals(WARNING, CoverageStatus.next(WARNING, 1.41, lines));
    assertEquals(HEALTHY, CoverageStatus.next(WARNING, 1.42, lines));
    // A jump from DISPOSAL to 1.50 clears every line at once.
    assertEquals(HEALTHY, CoverageStatus.next(DISPOSAL, 1.50, lines));
    // DISPOSAL at 1.215 stays: 1.20 + 0.02 not cleared.
    assertEquals(DISPOSAL, CoverageStatus.next(DISPOSAL, 1.215, lines));
  }

  @Test
  void noisyPriceAroundALineDoesNotFlap() {
    CoverageStatus status = HEALTHY;
    int changes = 0;
    double[] path = {1.401, 1.399, 1.401, 1.398, 1.405, 1.399, 1.41, 1.395};
    for (double coverage : path) {
      CoverageStatus next = CoverageStatus.next(status, coverage, lines);
      if (next != status) {
        changes++;
      }
      status = next;
    }
    assertEquals(1, changes);
    assertEquals(WARNING, status);
  }

  @Test
  void linesMustBeOrdered() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Lines(0.6, 1.2, 1.3, 1.1)); // warning below margin call
    assertThrows(
        IllegalArgumentException.class,
        () -> new Lines(0.75, 1.4, 1.3, 1.1)); // 1/0.75 = 1.333 < 1.40
    assertThrows(IllegalArgumentException.class, () -> new Lines(0.6, 1.4, 1.3, 0));
    assertThrows(
        IllegalArgumentException.class, () -> new Lines(1.2, 0.8, 0.7, 0.6)); // an LTV above 1
    assertThrows(
        IllegalArgumentException.class, () -> new Lines(0.6, 1.4000001, 1.3, 1.2)); // 7 decimals
  }
}
