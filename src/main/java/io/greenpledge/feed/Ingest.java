package io.greenpledge.feed;

import io.greenpledge.market.Tick;
import io.greenpledge.market.TickOutcome;
import io.greenpledge.engine.Bus;
import io.greenpledge.engine.TickBatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/** Hands connector ticks to the market and waits until the accepted ones are journaled. */
public final class Ingest {

  /** Past this the journal is considered unavailable and the connector should retry. */
  public static final Duration DURABLE_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;

  public Ingest(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<List<TickOutcome>> submit(List<Tick> ticks) {
    return Bus.TICKS.request(vertx, new TickBatch(ticks), DURABLE_TIMEOUT).map(TickBatch.Outcomes::outcomes);
  }
}
