package io.greenpledge.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The mark rule: one number, rounded half-even to the tick, never raised by a quiet market. */
class MarksTest {

  @Test
  void conservativeTakesTheLowerOfLastTradeAndVwap() {
    assertEquals(
        new Marks.Mark(7000, MarkBasis.CONSERVATIVE),
        Marks.mark(MarkBasis.CONSERVATIVE, false, true, 72.5, 70.0, 60.0));
    assertEquals(
        new Marks.Mark(6800, MarkBasis.CONSERVATIVE),
        Marks.mark(MarkBasis.CONSERVATIVE, false, true, 68.0, 70.0, 60.0));
  }

  @Test
  void lastAndVwapBasesTakeTheirOwnPrice() {
    assertEquals(
        new Marks.Mark(7250, MarkBasis.LAST),
        Marks.mark(MarkBasis.LAST, false, true, 72.5, 70.0, 60.0));
    assertEquals(
        new Marks.Mark(7000, MarkBasis.VWAP20),
        Marks.mark(MarkBasis.VWAP20, false, true, 72.5, 70.0, 60.0));
  }

  @Test
  void theMarkIsRoundedHalfEvenToTheTickBeforeAnythingUsesIt() {
    // CEA 70.00 × 1 and 70.01 × 2: VWAP = 210.02 / 3 = 70.006667 → 70.0067 (4 places) → mark 70.01
    assertEquals(
        new Marks.Mark(7001, MarkBasis.VWAP20),
        Marks.mark(MarkBasis.VWAP20, false, true, 70.01, 70.0067, 72.0));
    // half-even at the tick: 70.005 → 70.00, 70.015 → 70.02
    assertEquals(7000, Marks.cents(70.005));
    assertEquals(7002, Marks.cents(70.015));
  }

  @Test
  void aQuietMarketNeverRaisesTheMark() {
    // Stale, with a reference (72) above the last trade (71.30):
    // the mark stays at min(last, VWAP20).
    assertEquals(
        new Marks.Mark(7130, MarkBasis.CONSERVATIVE),
        Marks.mark(MarkBasis.LAST, true, true, 71.30, 71.80, 72.0));
    assertEquals(
        new Marks.Mark(7090, MarkBasis.CONSERVATIVE),
        Marks.mark(MarkBasis.VWAP20, true, true, 71.30, 70.90, 72.0));
  }

  @Test
  void noTradeInTwoHundredFiftyDaysUsesTheLowerOfReferenceAndLastTrade() {
    assertEquals(
        new Marks.Mark(6000, MarkBasis.REFERENCE),
        Marks.mark(MarkBasis.CONSERVATIVE, false, false, 72.5, 70.0, 60.0));
    assertEquals(
        new Marks.Mark(5500, MarkBasis.REFERENCE),
        Marks.mark(MarkBasis.CONSERVATIVE, true, false, 55.0, 70.0, 60.0));
  }

  @Test
  void neverTradedMarketUsesReference() {
    assertEquals(
        new Marks.Mark(6000, MarkBasis.REFERENCE),
        Marks.mark(MarkBasis.CONSERVATIVE, false, false, Double.NaN, Double.NaN, 60.0));
  }
}
