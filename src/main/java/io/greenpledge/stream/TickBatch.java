package io.greenpledge.stream;

import io.greenpledge.market.Tick;
import io.greenpledge.market.TickOutcome;
import java.util.List;

/**
 * Ticks from one feed for the market.
 *
 * @param durable when true the market replies only after the accepted ticks are journaled, so a
 *                connector's acknowledgement means the ticks survive a crash
 */
public record TickBatch(List<Tick> ticks, boolean durable) {

  /** The market's answer, one outcome per tick in the batch's order. */
  public record Outcomes(List<TickOutcome> outcomes) {}
}
