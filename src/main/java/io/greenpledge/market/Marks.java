package io.greenpledge.market;

/** The mark-price rule of the design, as a pure function. */
public final class Marks {

  /** A mark and the basis actually used to get it. */
  public record Mark(double price, MarkBasis basis) {}

  private Marks() {}

  /**
   * CONSERVATIVE = min(last trade, VWAP20); LAST; VWAP20. A stale market, or one with no trade,
   * falls back to the reference price and says so.
   */
  public static Mark mark(MarkBasis wanted, boolean stale, double lastTrade, double vwap20, double reference) {
    if (stale || Double.isNaN(lastTrade)) {
      return new Mark(reference, MarkBasis.REFERENCE);
    }
    double vwap = Double.isNaN(vwap20) ? lastTrade : vwap20;
    return switch (wanted) {
      case CONSERVATIVE -> new Mark(Math.min(lastTrade, vwap), MarkBasis.CONSERVATIVE);
      case LAST -> new Mark(lastTrade, MarkBasis.LAST);
      case VWAP20 -> new Mark(vwap, MarkBasis.VWAP20);
      case REFERENCE -> new Mark(reference, MarkBasis.REFERENCE);
    };
  }
}
