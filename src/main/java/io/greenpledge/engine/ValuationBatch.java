package io.greenpledge.engine;

import io.greenpledge.valuation.Valuation;
import io.greenpledge.valuation.ValuedPledges;
import java.util.List;

/**
 * The pledges one mark change (or one pledge change) revalued. A mark change's batch names the
 * pledges and reads their valuations from the book when asked ({@link
 * io.greenpledge.valuation.PledgeBook.Revalued}); a pledge change's carries its valuation built.
 */
public record ValuationBatch(String instrument, ValuedPledges valuations) {

  /** Valuations already built. */
  public ValuationBatch(String instrument, List<Valuation> valuations) {
    this(instrument, ValuedPledges.of(valuations));
  }
}
