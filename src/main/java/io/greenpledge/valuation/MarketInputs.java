package io.greenpledge.valuation;

import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Marks;
import io.greenpledge.market.Quote;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The market side of a valuation's provenance: the mark and everything behind it. Shared by every
 * pledge valued from the same quote and basis, so a revaluation allocates it once, not per pledge.
 */
public record MarketInputs(
    String instrument,
    MarkBasis basis,
    double markPrice,
    double lastTrade,
    double vwap20,
    LocalDate vwapFrom,
    LocalDate vwapTo,
    double sigma,
    double adv20,
    boolean stale,
    String tickSource,
    long tickSeq,
    Instant tickTs) {

  public static MarketInputs of(Quote quote, MarkBasis wanted) {
    Marks.Mark mark = Marks.mark(wanted, quote.stale(), quote.lastTrade(), quote.vwap20(), quote.referencePrice());
    return new MarketInputs(quote.instrument(), mark.basis(), mark.price(), quote.lastTrade(), quote.vwap20(),
        quote.vwapFrom(), quote.vwapTo(), quote.sigma(), quote.adv20(), quote.stale(), quote.lastTickSource(),
        quote.lastTickSeq(), quote.lastTickAt());
  }
}
