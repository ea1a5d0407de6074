package io.greenpledge.engine.market;

import io.greenpledge.engine.Bus;
import io.greenpledge.engine.TickBatch;
import io.greenpledge.market.Market;
import io.greenpledge.market.Quote;
import io.greenpledge.market.RejectReason;
import io.greenpledge.market.Tick;
import io.greenpledge.market.TickOutcome;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.ops.Metrics;
import io.greenpledge.store.HistoryRepository;
import io.greenpledge.store.TickJournal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the market: every tick from every feed comes here, is validated, journaled, and only then
 * applied for good and published. One verticle, one thread: no locks on the market.
 *
 * <p>Acknowledged means stored, and nothing is seen before it is stored: a group of waiting batches
 * is judged against the market (a later tick against the earlier ones), written in one transaction,
 * and only when the write commits are the ticks' quotes published, shared with peers and answered.
 * While groups are being written the next one gathers (group commit).
 *
 * <p>Up to {@code writers} groups are written side by side, each in a transaction of its own (the
 * journal statement is the ingest path's limit, and one backend uses one core). A group is judged
 * on top of the ones still being written, and they commit, answer and publish in the order judged:
 * a group's quotes are taken when it is judged, so a later group's unstored ticks never show. When
 * a write fails, every group judged after it is taken back and judged again once the failure is
 * dealt with, and the market goes back to its checkpoint from before the failed group, so the
 * ticks' sequence numbers do not count as seen and a connector's resend is accepted and stored
 * exactly once.
 */
public final class MarketVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MarketVerticle.class);

  /** How often stale/fresh changes are looked for when no tick arrives. */
  private static final long SWEEP_MILLIS = 1000;

  /**
   * How often the imports are looked at for a change made elsewhere (the {@code import} command, or
   * another node's API): the market re-reads the days within this.
   */
  static final long IMPORT_WATCH_MILLIS = 10_000;

  /** How long a stop waits for the journal to take what was already accepted for writing. */
  private static final long DRAIN_MILLIS = 15_000;

  private record Queued(Message<TickBatch> message, long arrivedAt) {}

  private record Judged(Queued queued, List<TickOutcome> outcomes) {
    Message<TickBatch> message() {
      return queued.message();
    }
  }

  /**
   * A group judged against the market whose statement runs or ran in a transaction not yet
   * committed; {@code quotes} are the market's as of this group, published once it is stored.
   * {@code statement} holds no pending write when nothing of the group was accepted.
   */
  private static final class InFlight {
    private final List<Judged> group;
    private final List<Tick> accepted;
    private final Market.Checkpoint checkpoint;
    private final List<Quote> quotes;
    private final Future<TickJournal.Pending> statement;
    private boolean committing;

    private InFlight(
        List<Judged> group,
        List<Tick> accepted,
        Market.Checkpoint checkpoint,
        List<Quote> quotes,
        Future<TickJournal.Pending> statement) {
      this.group = group;
      this.accepted = accepted;
      this.checkpoint = checkpoint;
      this.quotes = quotes;
      this.statement = statement;
    }
  }

  private final Market market;
  private final QuoteBoard board;
  private final TickJournal journal;
  private final HistoryRepository history;
  private final TradingCalendar calendar;

  /** Instruments whose imported days changed and are to be re-read. */
  private final Set<String> reloadPending = new java.util.TreeSet<>();

  private boolean reloading;

  /**
   * Work that must wait until no group is being written (it touches the bars a group may roll
   * back).
   */
  private final List<Runnable> afterGroup = new java.util.ArrayList<>();

  private Optional<Instant> lastImportChange = Optional.empty();
  private final int maxGroup;
  private final Clock clock;
  private final Metrics metrics;
  private final String nodeId;
  private final boolean clustered;
  private final Deque<Queued> waiting = new ArrayDeque<>();
  private final Deque<List<Tick>> fromPeers = new ArrayDeque<>();

  /** Groups being written, oldest first: they commit in this order. */
  private final Deque<InFlight> inFlight = new ArrayDeque<>();

  private final int writers;

  /** A failed write is being dealt with: nothing new is judged until it is. */
  private boolean settling;

  private final io.greenpledge.ops.Outage outage =
      new io.greenpledge.ops.Outage(
          LOG,
          "journal unavailable ({}); ticks are refused until it is back, nothing unstored is shown",
          "journal writable again after {} s and {} failed writes");
  private volatile long oldestUnstoredAt;
  private volatile int unstored;
  private Promise<Void> drained;
  private MessageConsumer<TickBatch> consumer;

  /**
   * @param history where imported days are read from when an import or an undo changed them
   */
  public MarketVerticle(
      Market market,
      QuoteBoard board,
      TickJournal journal,
      HistoryRepository history,
      TradingCalendar calendar,
      int maxGroup,
      int writers,
      Clock clock,
      Metrics metrics,
      String nodeId,
      boolean clustered) {
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.clustered = clustered;
    this.market = market;
    this.board = board;
    this.journal = journal;
    this.history = history;
    this.calendar = calendar;
    this.maxGroup = maxGroup;
    this.writers = writers;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    market.quotes(clock.instant()).forEach(board::put);
    vertx.setPeriodic(SWEEP_MILLIS, id -> sweepStaleness());
    Bus.HISTORY.subscribe(vertx, changed -> reload(changed.instruments()));
    history.lastChange().onSuccess(at -> lastImportChange = at);
    vertx.setPeriodic(IMPORT_WATCH_MILLIS, id -> watchImports());
    consumer = Bus.TICKS.serve(vertx, this::onTicks);
    if (!clustered) {
      return consumer.completion();
    }
    // One subscription per node to the shared stream, never one per socket.
    MessageConsumer<JsonObject> peers = Bus.CLUSTER_TICKS.subscribe(vertx, this::onPeerTicks);
    return Future.all(consumer.completion(), peers.completion());
  }

  /**
   * Takes no more ticks, writes what is waiting (bounded), and fails whatever the journal could not
   * take.
   */
  @Override
  public Future<?> stop() {
    return consumer
        .unregister()
        .compose(
            v -> {
              if (inFlight.isEmpty() && !settling && waiting.isEmpty()) {
                return Future.succeededFuture();
              }
              drained = Promise.promise();
              long timer = vertx.setTimer(DRAIN_MILLIS, id -> drained.tryComplete());
              return drained
                  .future()
                  .onComplete(
                      r -> {
                        vertx.cancelTimer(timer);
                        waiting.forEach(q -> failBatch(q.message(), "gateway stopping"));
                        waiting.clear();
                      });
            });
  }

  /** Ticks accepted by a feed but not yet stored; safe to read from any thread. */
  public int queued() {
    return unstored;
  }

  /** How long the oldest unstored tick has waited, in milliseconds; 0 when nothing waits. */
  public long lagMillis() {
    return unstored == 0 ? 0 : (System.nanoTime() - oldestUnstoredAt) / 1_000_000;
  }

  private void onTicks(Message<TickBatch> message) {
    int size = message.body().ticks().size();
    if (unstored > 0 && unstored + size > maxUnstored()) {
      // Memory is bounded while the journal is slow or away: the sender is told to come back later.
      failBatch(message, "journal behind: " + unstored + " ticks wait to be stored");
      return;
    }
    if (unstored == 0) {
      oldestUnstoredAt = System.nanoTime();
    }
    waiting.add(new Queued(message, System.nanoTime()));
    unstored += size;
    nextGroup();
  }

  /**
   * Judges the waiting batches as groups and starts writing their accepted ticks, while fewer than
   * {@code writers} groups are being written. Ticks from peers and work that must see no group (see
   * {@link #whenNoGroup}) wait for the writes to drain: no second group starts meanwhile.
   */
  private void nextGroup() {
    while (!settling) {
      if (inFlight.isEmpty()) {
        applyPeerTicks();
      }
      if (waiting.isEmpty()) {
        if (inFlight.isEmpty()) {
          unstored = 0;
          if (drained != null) {
            drained.tryComplete();
          }
        }
        return;
      }
      if (!inFlight.isEmpty()
          && (inFlight.size() >= writers || !afterGroup.isEmpty() || !fromPeers.isEmpty())) {
        return;
      }
      Market.Checkpoint checkpoint = market.checkpoint();
      Instant now = clock.instant();
      List<Judged> group = new ArrayList<>();
      List<Tick> accepted = new ArrayList<>();
      int size = 0;
      while (!waiting.isEmpty()
          && (size == 0 || size + waiting.peek().message().body().ticks().size() <= maxGroup)) {
        Queued next = waiting.poll();
        List<TickOutcome> outcomes = market.accept(next.message().body().ticks(), now);
        outcomes.stream().filter(TickOutcome::isAccepted).forEach(o -> accepted.add(o.tick()));
        group.add(new Judged(next, outcomes));
        size += next.message().body().ticks().size();
      }
      if (accepted.isEmpty() && inFlight.isEmpty()) {
        finish(group, accepted, Set.of(), List.of());
        continue;
      }
      // A group with nothing accepted still waits for the groups before it: a DUPLICATE of a tick
      // they have not stored yet must not be told before it is.
      Future<TickJournal.Pending> statement =
          accepted.isEmpty() ? Future.succeededFuture() : journal.begin(accepted);
      inFlight.add(new InFlight(group, accepted, checkpoint, quotesOf(accepted, now), statement));
      if (!accepted.isEmpty()) {
        statement.onComplete(done -> advance());
      }
    }
  }

  /** Commits the oldest group once its statement is done; deals with it when it failed. */
  private void advance() {
    while (!settling && !inFlight.isEmpty()) {
      InFlight head = inFlight.peek();
      if (head.committing || !head.statement.isComplete()) {
        return;
      }
      if (head.statement.failed()) {
        settle(head, head.statement.cause());
        return;
      }
      TickJournal.Pending pending = head.statement.result();
      if (pending == null) {
        inFlight.poll();
        finish(head.group, head.accepted, Set.of(), List.of());
        continue;
      }
      head.committing = true;
      pending
          .commit()
          .onComplete(
              done -> {
                if (done.failed()) {
                  settle(head, done.cause());
                  return;
                }
                inFlight.poll();
                outage.succeeded();
                finish(head.group, head.accepted, Set.of(), head.quotes);
                advance();
                if (inFlight.isEmpty() && !settling) {
                  runAfterGroup();
                }
                nextGroup();
              });
      return;
    }
  }

  /**
   * The oldest group's statement or commit failed. Every group judged after it is taken back (its
   * transaction rolled back, the market to its checkpoint, newest first, its batches to the front
   * of the queue, to be judged again), then the failure is dealt with as for a single write.
   */
  private void settle(InFlight failed, Throwable cause) {
    settling = true;
    List<InFlight> younger = new ArrayList<>(inFlight);
    younger.remove(failed);
    inFlight.clear();
    List<Future<Void>> undone =
        younger.stream()
            .map(
                written ->
                    written.statement.transform(
                        r ->
                            r.succeeded() && r.result() != null
                                ? r.result().rollback()
                                : Future.<Void>succeededFuture()))
            .toList();
    Future.join(undone)
        .onComplete(
            all -> {
              for (int i = younger.size() - 1; i >= 0; i--) {
                InFlight written = younger.get(i);
                market.rollback(written.checkpoint);
                for (int q = written.group.size() - 1; q >= 0; q--) {
                  waiting.addFirst(written.group.get(q).queued());
                }
              }
              if (!TickJournal.isDataError(cause)) {
                unavailable(failed.group, failed.checkpoint, cause);
                settled();
                return;
              }
              // A row the database refuses: written again alone, halved until it is isolated.
              journal
                  .write(failed.accepted)
                  .onComplete(
                      result -> {
                        if (result.succeeded()) {
                          stored(failed.group, failed.accepted, result.result(), failed.checkpoint);
                        } else {
                          unavailable(failed.group, failed.checkpoint, result.cause());
                        }
                        settled();
                      });
            });
  }

  private void settled() {
    settling = false;
    runAfterGroup();
    nextGroup();
  }

  /** A group written alone (nothing judged after it) that the database partly refused. */
  private void stored(
      List<Judged> group, List<Tick> accepted, List<Tick> refused, Market.Checkpoint checkpoint) {
    outage.succeeded();
    Set<Tick> refusedSet = Collections.newSetFromMap(new IdentityHashMap<>());
    refusedSet.addAll(refused);
    List<Tick> storedTicks = accepted;
    if (!refused.isEmpty()) {
      storedTicks = accepted.stream().filter(t -> !refusedSet.contains(t)).toList();
      market.rollback(checkpoint);
      market.applyStored(storedTicks);
    }
    finish(group, storedTicks, refusedSet, quotesOf(storedTicks, clock.instant()));
  }

  /**
   * Answers every batch of a group, publishes what was stored and shares it with the other nodes.
   */
  private void finish(
      List<Judged> group, List<Tick> storedTicks, Set<Tick> refused, List<Quote> quotes) {
    for (Judged judged : group) {
      List<TickOutcome> outcomes =
          refused.isEmpty()
              ? judged.outcomes()
              : judged.outcomes().stream()
                  .map(
                      o ->
                          refused.contains(o.tick())
                              ? TickOutcome.rejected(o.tick(), RejectReason.STORE_REFUSED)
                              : o)
                  .toList();
      count(outcomes);
      unstored = Math.max(0, unstored - outcomes.size());
      if (judged.message().replyAddress() != null) {
        judged.message().reply(new TickBatch.Outcomes(outcomes));
      }
    }
    if (!waiting.isEmpty()) {
      oldestUnstoredAt = waiting.peek().arrivedAt();
    }
    quotes.forEach(this::publish);
    shareWithPeers(storedTicks);
  }

  /** Nothing of the group counts: the market forgets it and every sender is told to send again. */
  private void unavailable(List<Judged> group, Market.Checkpoint checkpoint, Throwable cause) {
    market.rollback(checkpoint);
    outage.failed(cause);
    String reason = "journal unavailable: " + cause.getMessage();
    for (Judged judged : group) {
      failBatch(judged.message(), reason);
    }
    // What queued behind a failed write would wait for the next attempt; tell its senders now.
    waiting.forEach(q -> failBatch(q.message(), reason));
    waiting.clear();
    unstored = 0;
  }

  private int maxUnstored() {
    return 4 * maxGroup;
  }

  private static void failBatch(Message<TickBatch> message, String reason) {
    if (message.replyAddress() != null) {
      message.fail(503, reason);
    }
  }

  private void applyPeerTicks() {
    while (!fromPeers.isEmpty()) {
      List<Tick> accepted =
          market.accept(fromPeers.poll(), clock.instant()).stream()
              .filter(TickOutcome::isAccepted)
              .map(TickOutcome::tick)
              .toList();
      quotesOf(accepted, clock.instant()).forEach(this::publish);
    }
  }

  /** The node that accepted a tick journals it; the others only price it. */
  private void shareWithPeers(List<Tick> accepted) {
    if (!clustered || accepted.isEmpty()) {
      return;
    }
    JsonArray ticks = new JsonArray();
    for (Tick t : accepted) {
      ticks.add(
          new JsonArray()
              .add(t.instrument())
              .add(t.price())
              .add(t.quantity())
              .add(t.ts().getEpochSecond() * 1_000_000 + t.ts().getNano() / 1000)
              .add(t.source())
              .add(t.seq()));
    }
    Bus.CLUSTER_TICKS.publish(vertx, new JsonObject().put("origin", nodeId).put("ticks", ticks));
  }

  private void onPeerTicks(JsonObject message) {
    if (nodeId.equals(message.getString("origin"))) {
      return;
    }
    List<Tick> ticks = new java.util.ArrayList<>();
    for (Object o : message.getJsonArray("ticks")) {
      JsonArray t = (JsonArray) o;
      long micros = t.getLong(3);
      ticks.add(
          new Tick(
              t.getString(0),
              t.getDouble(1),
              t.getDouble(2),
              Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000),
              t.getString(4),
              t.getLong(5)));
    }
    // Stored by the origin already; applied between groups, never on top of a group being written.
    fromPeers.add(ticks);
    nextGroup();
  }

  private void count(List<TickOutcome> outcomes) {
    for (TickOutcome outcome : outcomes) {
      String instrument = outcome.tick().instrument();
      if (outcome.isAccepted()) {
        metrics.tickAccepted(instrument);
      } else {
        metrics.tickRejected(
            instrument,
            market.instrument(instrument).isPresent(),
            outcome.rejection().get().name());
      }
    }
  }

  /** The market's quote of each instrument these ticks traded, as the market stands now. */
  private List<Quote> quotesOf(List<Tick> ticks, Instant now) {
    Set<String> changed = new LinkedHashSet<>();
    ticks.forEach(tick -> changed.add(tick.instrument()));
    List<Quote> quotes = new ArrayList<>(changed.size());
    for (String instrument : changed) {
      quotes.add(market.quote(instrument, now));
    }
    return quotes;
  }

  private void sweepStaleness() {
    if (!inFlight.isEmpty() || settling) {
      return; // the market holds a group not yet stored; its quotes must not leak out
    }
    Instant now = clock.instant();
    for (Quote quote : market.quotes(now)) {
      boolean wasStale = board.get(quote.instrument()).map(Quote::stale).orElse(!quote.stale());
      if (wasStale != quote.stale()) {
        publish(quote);
      }
    }
  }

  private void watchImports() {
    history
        .lastChange()
        .onSuccess(
            at -> {
              if (!at.equals(lastImportChange)) {
                lastImportChange = at;
                reload(market.quotes(clock.instant()).stream().map(Quote::instrument).toList());
              }
            });
  }

  /**
   * Re-reads the completed days of these instruments and publishes their quotes (σ, ADV20 and
   * VWAP20 may have moved); applied between journal groups, never under one.
   */
  private void reload(List<String> instruments) {
    reloadPending.addAll(instruments);
    if (reloading || reloadPending.isEmpty()) {
      return;
    }
    reloading = true;
    List<String> batch = List.copyOf(reloadPending);
    reloadPending.clear();
    Instant now = clock.instant();
    LocalDate today = calendar.tradingDay(now);
    LocalDate from =
        calendar.tradingDaysBack(today, io.greenpledge.market.InstrumentMarket.HISTORY_DAYS);
    LocalDate to = today.minusDays(1);
    List<Future<List<io.greenpledge.market.DailyBar>>> reads =
        batch.stream().map(id -> history.bars(id, from, to)).toList();
    Future.all(reads)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                whenNoGroup(() -> apply(batch, reads, clock.instant()));
              } else {
                LOG.warn("imported history could not be re-read: {}", String.valueOf(done.cause()));
                reloadPending.addAll(batch);
              }
              reloading = false;
              if (!reloadPending.isEmpty() && done.succeeded()) {
                reload(List.of());
              }
            });
  }

  private void apply(
      List<String> instruments,
      List<Future<List<io.greenpledge.market.DailyBar>>> reads,
      Instant now) {
    for (int i = 0; i < instruments.size(); i++) {
      String id = instruments.get(i);
      List<io.greenpledge.market.DailyBar> bars = reads.get(i).result();
      market.instrument(id).ifPresent(m -> m.replaceHistory(bars, now));
      publish(market.quote(id, now));
    }
    LOG.info("re-read imported history of {}", instruments);
  }

  private void whenNoGroup(Runnable work) {
    if (!inFlight.isEmpty() || settling) {
      afterGroup.add(work);
    } else {
      work.run();
    }
  }

  private void runAfterGroup() {
    List<Runnable> work = List.copyOf(afterGroup);
    afterGroup.clear();
    work.forEach(Runnable::run);
  }

  /** The market owner is the one judge of staleness: a flip is told once, on its own topic. */
  private void publish(Quote quote) {
    Optional<Quote> previous = board.get(quote.instrument());
    board.put(quote);
    // Staleness first: a desk reads "traded again" before the status changes that trade causes.
    if (previous.isPresent() && previous.get().stale() != quote.stale()) {
      Bus.STALENESS.publish(vertx, quote);
    }
    Bus.QUOTES.publish(vertx, quote);
  }
}
