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
  private TickJournal journal;
  private MessageConsumer<TickBatch> consumer;

  /** Builds the journal once the verticle has its Vert.x instance. */
  public interface TickJournalFactory {
    TickJournal create(io.vertx.core.Vertx vertx);
  }

  public MarketVerticle(Market market, QuoteBoard board, TickJournalFactory journalFactory, Clock clock,
      Metrics metrics) {
    this.metrics = metrics;
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
    consumer = vertx.eventBus().consumer(Addresses.TICKS, this::onTicks);
    return consumer.completion();
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
