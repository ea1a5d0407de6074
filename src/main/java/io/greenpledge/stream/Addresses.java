package io.greenpledge.stream;

/** Every event-bus address of the gateway, in one place. */
public final class Addresses {

  /** {@link TickBatch} from any feed to the market; replies with {@link TickBatch.Outcomes}. */
  public static final String TICKS = "gp.ticks";
  /** {@link io.greenpledge.market.Quote} published after each change of an instrument's market. */
  public static final String QUOTES = "gp.quotes";

  private Addresses() {}
}
