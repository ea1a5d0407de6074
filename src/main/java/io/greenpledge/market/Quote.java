package io.greenpledge.market;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An immutable snapshot of one instrument's market, published after every accepted tick and every
 * stale/fresh change. Holds every input a valuation needs, so it can be recorded as provenance.
 *
 * @param lastTrade     NaN when the instrument never traded
 * @param vwap20        20-trading-day VWAP including today; NaN without volume
 * @param sigma         EWMA σ of daily log returns (completed days)
 * @param adv20         average daily volume over the 20 completed trading days before today
 * @param mark          the price valuation uses, per {@code basis}
 * @param basis         the configured basis, or REFERENCE when the market is stale
 * @param lastTickAt    source time of the last accepted tick (null if none)
 * @param lastTickSeq   the (source, seq) behind the last trade, for provenance
 * @param vwapFrom      first trading day of the VWAP20 window (inclusive); vwapTo is today
 */
public record Quote(
    String instrument,
    double lastTrade,
    double vwap20,
    double sigma,
    double adv20,
    double referencePrice,
    double previousClose,
    double mark,
    MarkBasis basis,
    boolean stale,
    Instant lastTickAt,
    String lastTickSource,
    long lastTickSeq,
    DailyBar today,
    LocalDate vwapFrom,
    LocalDate vwapTo,
    Instant asOf) {

  /** The mark under another basis, with the same stale fallback. */
  public double markFor(MarkBasis wanted) {
    return Marks.mark(wanted, stale, lastTrade, vwap20, referencePrice).price();
  }

  /** The mark under a basis as if the market were fresh (demo books are struck at it). */
  public double freshMarkFor(MarkBasis wanted) {
    return Marks.mark(wanted, false, lastTrade, vwap20, referencePrice).price();
  }

}
