package io.greenpledge.market;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The mark-price rule of the design, as a pure function. */
public final class Marks {

  /**
   * A mark, already rounded half-even to the tick (0.01 CNY), and the basis actually used to get
   * it.
   */
  public record Mark(long cents, MarkBasis basis) {
    public double price() {
      return cents / 100.0;
    }
  }

  private Marks() {}

  /**
   * CONSERVATIVE = min(last trade, VWAP20); LAST; VWAP20. A quiet (stale) market never makes the
   * mark rise: it stays at the conservative figure of the last trades, min(last, VWAP20), whatever
   * the basis asked for. Only a market with no trade in the last 250 trading days is marked at the
   * reference price, and then at min(reference, last trade if any). The result is rounded half-even
   * to the tick before anything uses it: the served mark is the number that multiplies into MV.
   *
   * @param recent a trade of the instrument lies within the last 250 trading days
   * @param vwap20 NaN without volume in the window
   */
  public static Mark mark(
      MarkBasis wanted,
      boolean stale,
      boolean recent,
      double lastTrade,
      double vwap20,
      double reference) {
    if (!recent || Double.isNaN(lastTrade)) {
      return new Mark(
          cents(Double.isNaN(lastTrade) ? reference : Math.min(reference, lastTrade)),
          MarkBasis.REFERENCE);
    }
    double vwap = Double.isNaN(vwap20) ? lastTrade : vwap20;
    if (stale) {
      return new Mark(cents(Math.min(lastTrade, vwap)), MarkBasis.CONSERVATIVE);
    }
    return switch (wanted) {
      case CONSERVATIVE -> new Mark(cents(Math.min(lastTrade, vwap)), MarkBasis.CONSERVATIVE);
      case LAST -> new Mark(cents(lastTrade), MarkBasis.LAST);
      case VWAP20 -> new Mark(cents(vwap), MarkBasis.VWAP20);
      case REFERENCE -> new Mark(cents(Math.min(reference, lastTrade)), MarkBasis.REFERENCE);
    };
  }

  /** Half-even to the fen; prices hold at most 4 decimals, so the double is the decimal. */
  public static long cents(double price) {
    return BigDecimal.valueOf(price)
        .setScale(2, RoundingMode.HALF_EVEN)
        .unscaledValue()
        .longValueExact();
  }
}
