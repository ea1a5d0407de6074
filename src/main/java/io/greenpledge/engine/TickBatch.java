package io.greenpledge.engine;

import io.greenpledge.market.Tick;
import io.greenpledge.market.TickOutcome;
import java.util.List;

/**
 * Ticks from one feed for the market. Every batch is journaled before it moves a price; a sender
 * that asks for a reply gets it only after its accepted ticks are stored, or a failure (503) when
 * they could not be, and then none of them counts as seen.
 */
public record TickBatch(List<Tick> ticks) {

  /** The market's answer, one outcome per tick in the batch's order. */
  public record Outcomes(List<TickOutcome> outcomes) {}
}
