package io.greenpledge.engine;

/** Every event-bus address of the gateway, in one place. */
public final class Addresses {

  /** {@link TickBatch} from any feed to the market; replies with {@link TickBatch.Outcomes}. */
  public static final String TICKS = "gp.ticks";
  /** {@link io.greenpledge.market.Quote} published after each change of an instrument's market. */
  public static final String QUOTES = "gp.quotes";

  /** {@link PledgeChange} from the REST layer to the risk engine; replies with {@link PledgeChange.Result}. */
  public static final String BOOK = "gp.book";
  /** {@link ValuationBatch} published after each revaluation, for push. */
  public static final String VALUATIONS = "gp.valuations";
  /** {@link io.greenpledge.book.Alert} published once persisted (it has its per-bank seq then). */
  public static final String ALERTS = "gp.alerts";

  /** Clustered mode: ticks accepted on one node, as JSON, for the markets of the other nodes. */
  public static final String CLUSTER_TICKS = "gp.cluster.ticks";
  /** Clustered mode: id of a pledge changed through one node's API, for the other nodes' books. */
  public static final String CLUSTER_BOOK = "gp.cluster.book";

  private Addresses() {}
}
