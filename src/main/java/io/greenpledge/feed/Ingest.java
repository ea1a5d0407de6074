package io.greenpledge.feed;

import io.greenpledge.engine.Bus;
import io.greenpledge.engine.TickBatch;
import io.greenpledge.market.Tick;
import io.greenpledge.market.TickOutcome;
import io.greenpledge.ops.RateLimiter;
import io.greenpledge.wire.TickJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.List;

/**
 * The one ingest pipeline of connector ticks, for {@code POST /api/v1/ticks} and {@code /ws/ingest}
 * alike: parse the batch, charge the connector's tick rate, hand the ticks to the market, and
 * answer once the accepted ones are journaled. The edges only turn the {@link Result} into their
 * shape.
 */
public final class Ingest {

  /** Past this the journal is considered unavailable and the connector should retry. */
  public static final Duration DURABLE_TIMEOUT = Duration.ofSeconds(10);

  /** What a connector is told when a batch could not be stored. */
  public static final String NOT_STORED =
      "none of this batch was stored or shown; resend it, (source, seq) makes it idempotent";

  private final Vertx vertx;
  private final RateLimiter tickRate;

  /** What became of a batch. */
  public sealed interface Result {
    /** Every tick has an outcome; the accepted ones are stored. */
    record Acked(List<TickOutcome> outcomes) implements Result {}

    /** The batch is not a batch of ticks; nothing was charged or stored. */
    record Malformed(String detail) implements Result {}

    /** Over the connector's tick rate: resend after {@code retryAfterSeconds}. */
    record RateLimited(long retryAfterSeconds, int ticks) implements Result {}

    /** The journal could not store the batch: nothing of it counts as seen; resend it. */
    record NotStored() implements Result {}
  }

  /**
   * @param tickRate ticks per second per connector, shared by both edges
   */
  public Ingest(Vertx vertx, RateLimiter tickRate) {
    this.vertx = vertx;
    this.tickRate = tickRate;
  }

  /**
   * Ingests the {@code ticks} array a connector sent (any JSON value; not an array is malformed).
   */
  public Future<Result> ingest(String connector, Object ticksJson) {
    List<Tick> ticks;
    try {
      ticks =
          TickJson.parse(
              ticksJson instanceof JsonArray array ? array : null, TickJson.sourceOf(connector));
    } catch (TickJson.MalformedBatch | ClassCastException e) {
      // A ClassCastException: an element that is not the JSON type its field needs (the REST edge
      // answered it as a malformed batch before the pipeline was shared).
      return Future.succeededFuture(new Result.Malformed(e.getMessage()));
    }
    long wait = tickRate.take(connector, ticks.size());
    if (wait > 0) {
      return Future.succeededFuture(new Result.RateLimited(wait, ticks.size()));
    }
    return submit(ticks).<Result>map(Result.Acked::new).otherwise(new Result.NotStored());
  }

  /** Hands ticks to the market and completes once the accepted ones are journaled. */
  private Future<List<TickOutcome>> submit(List<Tick> ticks) {
    return Bus.TICKS
        .request(vertx, new TickBatch(ticks), DURABLE_TIMEOUT)
        .map(TickBatch.Outcomes::outcomes);
  }
}
