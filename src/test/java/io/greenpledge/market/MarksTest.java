package io.greenpledge.market;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MarksTest {

  @Test
  void conservativeTakesTheLowerOfLastTradeAndVwap() {
    assertEquals(new Marks.Mark(70.0, MarkBasis.CONSERVATIVE), Marks.mark(MarkBasis.CONSERVATIVE, false, 72.5, 70.0, 60.0));
    assertEquals(new Marks.Mark(68.0, MarkBasis.CONSERVATIVE), Marks.mark(MarkBasis.CONSERVATIVE, false, 68.0, 70.0, 60.0));
  }

  @Test
  void lastAndVwapBasesTakeTheirOwnPrice() {
    assertEquals(new Marks.Mark(72.5, MarkBasis.LAST), Marks.mark(MarkBasis.LAST, false, 72.5, 70.0, 60.0));
    assertEquals(new Marks.Mark(70.0, MarkBasis.VWAP20), Marks.mark(MarkBasis.VWAP20, false, 72.5, 70.0, 60.0));
  }

  @Test
  void staleMarketFallsBackToReferenceAndSaysSo() {
    assertEquals(new Marks.Mark(60.0, MarkBasis.REFERENCE), Marks.mark(MarkBasis.LAST, true, 72.5, 70.0, 60.0));
  }

  @Test
  void neverTradedMarketUsesReference() {
    assertEquals(new Marks.Mark(60.0, MarkBasis.REFERENCE),
        Marks.mark(MarkBasis.CONSERVATIVE, false, Double.NaN, Double.NaN, 60.0));
  }
}
