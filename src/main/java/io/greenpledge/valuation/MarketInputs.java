package io.greenpledge.valuation;

import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Marks;
import io.greenpledge.market.Quote;
import io.greenpledge.market.SigmaBasis;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The market side of a valuation's provenance: the mark and everything behind it, as served. Shared
 * by every pledge valued from the same quote and basis, so a revaluation allocates it once.
 *
 * @param markCents the mark, half-even to the tick: the number that multiplies into MV
 * @param staleDays trading days since the last trade while the market is stale (they widen the
 *     horizon)
 */
public record MarketInputs(
    String instrument,
    MarkBasis basis,
    long markCents,
    double lastTrade,
    double vwap20,
    LocalDate vwapFrom,
    LocalDate vwapTo,
    double sigma,
    SigmaBasis sigmaBasis,
    double adv20,
    boolean stale,
    int staleDays,
    String tickSource,
    long tickSeq,
    Instant tickTs) {

  public static MarketInputs of(Quote quote, MarkBasis wanted) {
    Marks.Mark mark = quote.markFor(wanted);
    return new MarketInputs(
        quote.instrument(),
        mark.basis(),
        mark.cents(),
        quote.lastTrade(),
        quote.vwap20(),
        quote.vwapFrom(),
        quote.vwapTo(),
        quote.sigma(),
        quote.sigmaBasis(),
        quote.adv20(),
        quote.stale(),
        quote.staleDays(),
        quote.lastTickSource(),
        quote.lastTickSeq(),
        quote.lastTickAt());
  }

  /**
   * Whether a pledge valued at these inputs would be valued the same at {@code other}: the same
   * mark on the same basis, σ, ADV20 and staleness. What only explains the mark (last trade, VWAP,
   * the tick behind it) may differ: a valuation served with the earlier ones is still recomputed
   * from its own fields.
   */
  public boolean valuesAlike(MarketInputs other) {
    return markCents == other.markCents
        && basis == other.basis
        && Double.compare(sigma, other.sigma) == 0
        && adv20Micro() == other.adv20Micro()
        && stale == other.stale
        && staleDays == other.staleDays
        && instrument.equals(other.instrument);
  }

  public double markPrice() {
    return markCents / 100.0;
  }

  /**
   * The same market at another mark, e.g. a stress scenario's shocked price (rounded to the tick).
   */
  public MarketInputs atMark(double price) {
    return new MarketInputs(
        instrument,
        basis,
        Marks.cents(Math.max(0, price)),
        lastTrade,
        vwap20,
        vwapFrom,
        vwapTo,
        sigma,
        sigmaBasis,
        adv20,
        stale,
        staleDays,
        tickSource,
        tickSeq,
        tickTs);
  }

  /** ADV20 in millionths of a unit: exact, since volumes hold 4 decimals and are divided by 20. */
  public long adv20Micro() {
    return Math.round(adv20 * 1_000_000);
  }
}
