package io.greenpledge.stream;

import io.greenpledge.market.Market;
import io.greenpledge.market.Quote;
import io.greenpledge.market.Tick;
import io.greenpledge.market.TickOutcome;
import io.greenpledge.ops.Metrics;
import io.greenpledge.store.TickJournal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Owns the market: every tick from every feed comes here, is validated and applied, journaled in
 * batches, and the changed quotes are published. One verticle, one thread: no locks on the market.
 */
public final class MarketVerticle extends VerticleBase {

  /** How often stale/fresh changes are looked for when no tick arrives. */
  private static final long SWEEP_MILLIS = 1000;

  private final Market market;
  private final QuoteBoard board;
  private final TickJournalFactory journalFactory;
  private final Clock clock;
  private final Metrics metrics;
  private final String nodeId;
  private final boolean clustered;
  private TickJournal journal;
  private MessageConsumer<TickBatch> consumer;

  /** Builds the journal once the verticle has its Vert.x instance. */
  public interface TickJournalFactory {
    TickJournal create(io.vertx.core.Vertx vertx);
  }

  public MarketVerticle(Market market, QuoteBoard board, TickJournalFactory journalFactory, Clock clock,
      Metrics metrics, String nodeId, boolean clustered) {
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.clustered = clustered;
    this.market = market;
    this.board = board;
    this.journalFactory = journalFactory;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    journal = journalFactory.create(vertx);
    journal.start();
    market.quotes(clock.instant()).forEach(board::put);
    vertx.setPeriodic(SWEEP_MILLIS, id -> sweepStaleness());
    consumer = vertx.eventBus().localConsumer(Addresses.TICKS, this::onTicks);
    if (!clustered) {
      return consumer.completion();
    }
    // One subscription per node to the shared stream, never one per socket.
    MessageConsumer<JsonObject> peers = vertx.eventBus().consumer(Addresses.CLUSTER_TICKS, this::onPeerTicks);
    return Future.all(consumer.completion(), peers.completion());
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister().compose(v -> journal.close());
  }

  public TickJournal journal() {
    return journal;
  }

  private void onTicks(Message<TickBatch> message) {
    Instant now = clock.instant();
    TickBatch batch = message.body();
    List<TickOutcome> outcomes = market.accept(batch.ticks(), now);
    count(outcomes);
    List<Tick> accepted = outcomes.stream().filter(TickOutcome::isAccepted).map(TickOutcome::tick).toList();
    publishQuotes(accepted, now);
    shareWithPeers(accepted);
    Future<Void> written = journal.append(accepted);
    TickBatch.Outcomes reply = new TickBatch.Outcomes(outcomes);
    if (message.replyAddress() == null) {
      return;
    }
    if (batch.durable()) {
      written.onSuccess(v -> message.reply(reply));
    } else {
      message.reply(reply);
    }
  }

  /** The node that accepted a tick journals it; the others only price it. */
  private void shareWithPeers(List<Tick> accepted) {
    if (!clustered || accepted.isEmpty()) {
      return;
    }
    JsonArray ticks = new JsonArray();
    for (Tick t : accepted) {
      ticks.add(new JsonArray().add(t.instrument()).add(t.price()).add(t.quantity())
          .add(t.ts().getEpochSecond() * 1_000_000 + t.ts().getNano() / 1000).add(t.source()).add(t.seq()));
    }
    vertx.eventBus().publish(Addresses.CLUSTER_TICKS, new JsonObject().put("origin", nodeId).put("ticks", ticks));
  }

  private void onPeerTicks(Message<JsonObject> message) {
    if (nodeId.equals(message.body().getString("origin"))) {
      return;
    }
    List<Tick> ticks = new java.util.ArrayList<>();
    for (Object o : message.body().getJsonArray("ticks")) {
      JsonArray t = (JsonArray) o;
      long micros = t.getLong(3);
      ticks.add(new Tick(t.getString(0), t.getDouble(1), t.getDouble(2),
          Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000), t.getString(4), t.getLong(5)));
    }
    Instant now = clock.instant();
    List<Tick> accepted = market.accept(ticks, now).stream().filter(TickOutcome::isAccepted)
        .map(TickOutcome::tick).toList();
    publishQuotes(accepted, now);
  }

  private void count(List<TickOutcome> outcomes) {
    for (TickOutcome outcome : outcomes) {
      String instrument = outcome.tick().instrument();
      if (outcome.isAccepted()) {
        metrics.tickAccepted(instrument);
      } else {
        metrics.tickRejected(instrument, market.instrument(instrument).isPresent(), outcome.rejection().get().name());
      }
    }
  }

  private void publishQuotes(List<Tick> accepted, Instant now) {
    Set<String> changed = new LinkedHashSet<>();
    accepted.forEach(tick -> changed.add(tick.instrument()));
    for (String instrument : changed) {
      publish(market.quote(instrument, now));
    }
  }

  private void sweepStaleness() {
    Instant now = clock.instant();
    for (Quote quote : market.quotes(now)) {
      boolean wasStale = board.get(quote.instrument()).map(Quote::stale).orElse(!quote.stale());
      if (wasStale != quote.stale()) {
        publish(quote);
      }
    }
  }

  private void publish(Quote quote) {
    board.put(quote);
    vertx.eventBus().publish(Addresses.QUOTES, quote);
  }
}
