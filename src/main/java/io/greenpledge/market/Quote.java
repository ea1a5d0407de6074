package io.greenpledge.market;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An immutable snapshot of one instrument's market, published after every accepted tick and every
 * stale/fresh change. Holds every input a valuation needs, so it can be recorded as provenance.
 * Prices and statistics are held as the decimals they are served as, so a served valuation can be
 * recomputed from the served fields.
 *
 * @param lastTrade NaN when the instrument never traded (4 decimals, as journaled)
 * @param vwap20 VWAP of the 20 completed trading days before today plus today, half-even to 4
 *     decimals; NaN without volume
 * @param sigma daily σ, half-even to 8 decimals (EWMA of the journal's returns, or the catalog
 *     prior)
 * @param adv20 volume of the 20 completed trading days before today / 20 (6 decimals, exact)
 * @param mark the price valuation uses, half-even to the tick (0.01)
 * @param basis the basis actually used (a stale market reports CONSERVATIVE, one with no trade in
 *     250 trading days REFERENCE)
 * @param staleDays trading days since the last trade when stale, else 0
 * @param recent a trade lies within the last 250 trading days
 * @param lastTickSeq the (source, seq) behind the last trade, for provenance
 * @param vwapFrom first trading day of the VWAP20 window (inclusive); vwapTo is today
 */
public record Quote(
    String instrument,
    double lastTrade,
    double vwap20,
    double sigma,
    SigmaBasis sigmaBasis,
    double adv20,
    double referencePrice,
    double previousClose,
    double mark,
    MarkBasis basis,
    boolean stale,
    int staleDays,
    boolean recent,
    Instant lastTickAt,
    String lastTickSource,
    long lastTickSeq,
    DailyBar today,
    LocalDate vwapFrom,
    LocalDate vwapTo,
    Instant asOf) {

  /** The mark under another basis, with the same quiet-market and reference rules. */
  public Marks.Mark markFor(MarkBasis wanted) {
    return Marks.mark(wanted, stale, recent, lastTrade, vwap20, referencePrice);
  }

  /** The mark under a basis as if the market were fresh (demo books are struck at it). */
  public double freshMarkFor(MarkBasis wanted) {
    return Marks.mark(wanted, false, true, lastTrade, vwap20, referencePrice).price();
  }
}
