package io.greenpledge.push;

import io.greenpledge.alerts.AlertStore;
import io.greenpledge.alerts.event.Alert;
import io.greenpledge.config.Settings;
import io.greenpledge.engine.Bus;
import io.greenpledge.engine.ValuationBatch;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Quote;
import io.greenpledge.valuation.Valuation;
import io.greenpledge.valuation.ValuedPledges;
import io.greenpledge.wire.AlertJson;
import io.greenpledge.wire.MarketJson;
import io.greenpledge.wire.ValuationJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fans the gateway's streams out to the desk sockets of one event loop. It subscribes once to each
 * stream (never once per socket) and, every window, sends each socket one frame with the latest
 * state of every key that changed (latest wins) plus its queued alerts (never conflated). A key's
 * JSON is encoded once per change, and the items part of a frame is built once per subscription
 * signature and reused for every up-to-date socket that shares it. A socket that fell behind (it
 * was unwritable) catches up from the key versions, so nothing it needs is lost while it is
 * conflated.
 *
 * <p>With {@code GP_WS_SHARDS} = k above one, the desks are dealt into k shards and a window is k
 * times shorter: each window writes one shard, so each desk still gets a frame every k windows (the
 * configured window), built from the state at its own moment, and a hub's frames leave spread over
 * the configured window instead of all in one turn of its event loop. What changed is kept for the
 * last k windows, so every shard reads the changes since its own last frame.
 *
 * <p>The seam with the desk sessions: a session calls {@link #join}, {@link #leave}, the two
 * snapshot methods, {@link #knowsInstrument} and {@link #alertStore}; the hub calls the {@link
 * Desk} methods. The hub owns the window state (the last window each desk received); a desk owns
 * its subscription. Threading: single writer. The hub and its desks share one event loop; nothing
 * is synchronised, and the per-window path allocates per desk only the frame it writes.
 */
final class PushHub {

  static final long MAX_WINDOW_MILLIS = 1_000;

  private final Vertx vertx;
  private final Instruments catalog;
  private final QuoteBoard quotes;
  private final ValuationBoard valuations;
  private final AlertStore alerts;
  private final Settings.Push settings;
  private final io.greenpledge.ops.Metrics metrics;

  /** How often a desk gets a frame at most, as last computed (read by the metrics' scrape). */
  private final java.util.concurrent.atomic.AtomicLong deskWindow;

  private final Workflow workflow;
  private final DeskRegistry registry;

  /**
   * Every joined desk with the state of each of its lanes, by the lane's options (a lane keeps its
   * place when a channel joins or leaves it), in its shard: shard {@code window % shards} is
   * written at the end of each window.
   */
  private final List<Map<Desk, Map<String, LaneState>>> shards;

  /**
   * What changed in one window: kept for as many windows as there are shards. An item that changed
   * again later is in a later window's changes too, and counts there.
   */
  private static final class Changes {
    final List<Item> prices = new ArrayList<>();
    final Map<String, List<Item>> valuations = new HashMap<>();
  }

  /** The changes of the last {@code shards} windows, window {@code w} at {@code w % shards}. */
  private final Changes[] recent;

  /** Where one lane of a desk stands. */
  private static final class LaneState {
    /** The last window whose changes it received (or was up to date for). */
    long since;

    /** The {@code ts} of the last frame that carried its items (for maxFrequency). */
    long sentAt;

    /** The lane's stamp when last seen: a new one means a new snapshot was sent. */
    long stamp;

    /** The next frame carries its items whole (a delta lane after its snapshot). */
    boolean whole;

    LaneState(long since, long stamp, boolean whole) {
      this.since = since;
      this.stamp = stamp;
      this.whole = whole;
    }
  }

  /** Whether some lane takes deltas: only then do dirty items keep their previous value. */
  private boolean deltaLanes;

  /** Whether a lane written in this round of the shards (since the last shard was) takes deltas. */
  private boolean deltaLanesSeen;

  private final Map<String, Item> prices = new LinkedHashMap<>();
  private final Map<String, Map<String, Item>> valuationsByBank = new HashMap<>();

  /**
   * The banks whose valuations this hub keeps ({@link Subscription#EVERY_BANK}: every bank): those
   * a valuations lane of one of its desks sees, and those a snapshot was taken for since the last
   * window. A batch's valuations of other banks are not looked at: a desk of one bank, or of prices
   * only, does not pay for a book of a million pledges of other banks. A bank no desk sees any more
   * is forgotten at the end of the window, so a desk that subscribes again later starts from its
   * snapshot, never from items that stopped following the book.
   */
  private Set<String> watched = new HashSet<>();

  /**
   * The banks the desks' lanes see, gathered as each shard is written and by snapshots, since the
   * last shard's window (reused).
   */
  private Set<String> seenByLanes = new HashSet<>();

  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long window = 1;
  private long flushTimer = -1;
  private boolean stopped;

  private long slowClosed;

  /** The time frames are stamped with and maxFrequency is measured by; tests move it. */
  private java.util.function.LongSupplier clock = System::currentTimeMillis;

  PushHub(
      Vertx vertx,
      Instruments catalog,
      QuoteBoard quotes,
      ValuationBoard valuations,
      AlertStore alerts,
      Settings.Push settings,
      io.greenpledge.ops.Metrics metrics) {
    this(vertx, catalog, quotes, valuations, alerts, settings, metrics, null, new DeskRegistry());
  }

  /**
   * @param workflow where the calls and change-requests channels read; null: those channels are
   *     empty (tests of the price and valuation paths)
   */
  PushHub(
      Vertx vertx,
      Instruments catalog,
      QuoteBoard quotes,
      ValuationBoard valuations,
      AlertStore alerts,
      Settings.Push settings,
      io.greenpledge.ops.Metrics metrics,
      Workflow workflow,
      DeskRegistry registry) {
    this.workflow = workflow;
    this.registry = registry;
    this.metrics = metrics;
    this.deskWindow = metrics.deskWindowMillis();
    deskWindow.set(settings.window().toMillis());
    this.vertx = vertx;
    this.catalog = catalog;
    this.quotes = quotes;
    this.valuations = valuations;
    this.alerts = alerts;
    this.settings = settings;
    // A turn lasts at least a millisecond (the timer's unit): at most one shard per millisecond of
    // the window, or a round of turns would outlast it (20 ms in 32 shards: rounds of 32 ms).
    int count = (int) Math.max(1, Math.min(settings.shards(), settings.window().toMillis()));
    this.shards = new ArrayList<>(count);
    this.recent = new Changes[count];
    for (int i = 0; i < count; i++) {
      shards.add(new LinkedHashMap<>());
      recent[i] = new Changes();
    }
  }

  /** The items of {@code list} whose last change was in window {@code w}. */
  private static void changedLastIn(List<Item> list, long w, Consumer<Item> action) {
    for (Item item : list) {
      if (item.window() == w) {
        action.accept(item);
      }
    }
  }

  private int slot(long w) {
    return (int) Math.floorMod(w, (long) recent.length);
  }

  private Changes changes() {
    return recent[slot(window)];
  }

  /** How many shards this hub writes its desks in. */
  int shardCount() {
    return shards.size();
  }

  /** Every joined desk, whatever its shard (a copy: the caller may make desks leave). */
  private List<Desk> allDesks() {
    List<Desk> all = new ArrayList<>();
    shards.forEach(shard -> all.addAll(shard.keySet()));
    return all;
  }

  Future<Void> start() {
    consumers.add(Bus.QUOTES.subscribe(vertx, this::onQuote));
    consumers.add(Bus.VALUATIONS.subscribe(vertx, this::onValuations));
    consumers.add(Bus.ALERTS.subscribe(vertx, this::onAlert));
    consumers.add(Bus.CLUSTER_CHANGE_REQUESTS.subscribe(vertx, this::onChangeRequest));
    quotes.all().forEach(this::onQuote);
    connections("-");
    scheduleFlush(turnMillis(settings.window().toMillis(), shards.size(), window));
    vertx.setPeriodic(settings.heartbeat().toMillis(), id -> heartbeat());
    return Future.succeededFuture();
  }

  /** Tells every desk why it is being closed (1001), then stops listening to the market. */
  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(flushTimer);
    allDesks()
        .forEach(
            desk -> {
              leave(desk);
              desk.close(Desk.Close.GOING_AWAY);
            });
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  /**
   * A desk that authenticated: it gets the changes of the next window on (its snapshots, the rest).
   */
  void join(Desk desk) {
    if (shardOf(desk) != null) {
      return;
    }
    Map<Desk, Map<String, LaneState>> smallest = shards.get(0);
    for (Map<Desk, Map<String, LaneState>> shard : shards) {
      if (shard.size() < smallest.size()) {
        smallest = shard;
      }
    }
    if (smallest.putIfAbsent(desk, new HashMap<>(2)) == null) {
      connections(desk.metricsLabel()).incrementAndGet();
      if (desk.subscription().valuations()) {
        keepValuationsOf(desk.subscription().bank());
      }
    }
  }

  /** A desk that closed or is being closed: it gets nothing more. Idempotent. */
  void leave(Desk desk) {
    Map<Desk, Map<String, LaneState>> shard = shardOf(desk);
    if (shard != null && shard.remove(desk) != null) {
      connections(desk.metricsLabel()).decrementAndGet();
    }
  }

  private Map<Desk, Map<String, LaneState>> shardOf(Desk desk) {
    for (Map<Desk, Map<String, LaneState>> shard : shards) {
      if (shard.containsKey(desk)) {
        return shard;
      }
    }
    return null;
  }

  private java.util.concurrent.atomic.AtomicLong connections(String bank) {
    return metrics.wsConnections(bank);
  }

  void clock(java.util.function.LongSupplier newClock) {
    this.clock = newClock;
  }

  int sessions() {
    int sessions = 0;
    for (Map<Desk, Map<String, LaneState>> shard : shards) {
      sessions += shard.size();
    }
    return sessions;
  }

  /** The valuations the hub keeps items for (the banks its desks see). */
  int valuationsKept() {
    int kept = 0;
    for (Map<String, Item> byId : valuationsByBank.values()) {
      kept += byId.size();
    }
    return kept;
  }

  long slowConsumersClosed() {
    return slowClosed;
  }

  /** The desk sockets on this node, for limits and presence (shared by every event loop's hub). */
  DeskRegistry registry() {
    return registry;
  }

  Settings.Push settings() {
    return settings;
  }

  /** Where a desk's alert stream resumes from. */
  AlertStore alertStore() {
    return alerts;
  }

  boolean knowsInstrument(String id) {
    return catalog.find(id).isPresent();
  }

  void onQuote(Quote quote) {
    Item item =
        prices.computeIfAbsent(
            quote.instrument(),
            id ->
                new Item(
                    "prices:" + id,
                    "price",
                    null,
                    id,
                    "instrument",
                    q -> MarketJson.price((Quote) q, catalog.find(id).orElseThrow())));
    if (item.window() != window) {
      changes().prices.add(item);
    } else {
      metrics.conflated("-");
    }
    item.update(
        quote,
        quote.lastTickAt() == null
            ? quote.asOf().toEpochMilli()
            : quote.lastTickAt().toEpochMilli(),
        window,
        keptWindows());
  }

  /**
   * A batch's pledges of the banks this hub keeps. A mark change's batch reads each valuation from
   * the book here, so it is the pledge's latest (the batch's or a later one): a later batch whose
   * pledge the hub already holds at that valuation changes nothing and is counted as conflated.
   */
  void onValuations(ValuationBatch batch) {
    boolean everyBank = watched.contains(Subscription.EVERY_BANK);
    if (!everyBank && watched.isEmpty()) {
      return;
    }
    ValuedPledges valued = batch.valuations();
    for (int i = 0, n = valued.size(); i < n; i++) {
      if (!everyBank && !watched.contains(valued.bank(i))) {
        continue;
      }
      Valuation v = valued.valuation(i);
      if (v == null || !everyBank && !watched.contains(v.bank())) {
        continue; // released, or moved to another bank, since the batch was made
      }
      Item item = valuationItem(v.bank(), v.pledgeId());
      if (item.value() == v) {
        metrics.conflated(v.bank());
        continue;
      }
      if (item.window() != window) {
        changes().valuations.computeIfAbsent(v.bank(), b -> new ArrayList<>()).add(item);
      } else {
        metrics.conflated(v.bank());
      }
      item.update(v, sourceTs(v), window, keptWindows());
    }
  }

  /** How many windows back an item keeps its values for deltas (0: no desk takes deltas). */
  private int keptWindows() {
    return deltaLanes ? shards.size() : 0;
  }

  private Item valuationItem(String bank, String pledgeId) {
    return valuationsByBank
        .computeIfAbsent(bank, b -> new HashMap<>())
        .computeIfAbsent(
            pledgeId,
            id ->
                new Item(
                    "valuations",
                    "valuation",
                    bank,
                    id,
                    "pledgeId",
                    v ->
                        ValuationJson.valuation(
                            (Valuation) v,
                            catalog.find(((Valuation) v).instrument()).orElseThrow())));
  }

  private static long sourceTs(Valuation v) {
    return v.market().tickTs() != null
        ? v.market().tickTs().toEpochMilli()
        : v.valuedAt().toEpochMilli();
  }

  void onAlert(Alert alert) {
    String encoded = AlertJson.item(alert);
    for (Map<Desk, Map<String, LaneState>> shard : shards) {
      for (Desk desk : shard.keySet()) {
        desk.offerAlert(alert, encoded);
      }
    }
    if (workflow != null
        && alert.event() instanceof io.greenpledge.alerts.event.AlertEvent.CallChanged moved) {
      // the call as it is now (a later move may already be stored: the item says its version)
      workflow
          .call(moved.callId())
          .onSuccess(call -> call.ifPresent(item -> offerCase(Workflow.CALLS, alert.bank(), item)));
    }
  }

  /** A change request created or decided on any node: {@code {bank, request}}. */
  void onChangeRequest(io.vertx.core.json.JsonObject message) {
    offerCase(
        Workflow.REQUESTS,
        message.getString("bank"),
        Workflow.requestItem(message.getJsonObject("request"), System.currentTimeMillis()));
  }

  private void offerCase(String channel, String bank, String encoded) {
    for (Map<Desk, Map<String, LaneState>> shard : shards) {
      for (Desk desk : shard.keySet()) {
        desk.offerCase(channel, bank, encoded);
      }
    }
  }

  /** The current calls or change requests of a bank (empty: every bank), for a snapshot. */
  Future<List<String>> caseSnapshot(String channel, Optional<String> bank) {
    return workflow == null ? Future.succeededFuture(List.of()) : workflow.snapshot(channel, bank);
  }

  /** Current state of a channel, for a snapshot frame, in the form its options ask for. */
  List<String> pricesSnapshot(Subscription subscription, StreamOptions options) {
    List<String> items = new ArrayList<>();
    String key = options.signature();
    prices.forEach(
        (id, item) -> {
          if (subscription.wantsPrice(id) && item.hasValue()) {
            items.add(item.encoded(options, key));
          }
        });
    return items;
  }

  /** The live pledges a valuations lane of {@code bank} ({@code *}: every bank) covers. */
  int valuationsIn(String bank) {
    return valuations.count(Subscription.EVERY_BANK.equals(bank) ? null : bank);
  }

  /**
   * Keeps {@code bank}'s valuations ({@link Subscription#EVERY_BANK}: every bank's) from now on:
   * every batch after this call is applied to the hub's items. Called before a snapshot is read,
   * and when a desk's lanes come to see another bank.
   */
  void keepValuationsOf(String bank) {
    watched.add(bank);
    seenByLanes.add(bank);
  }

  List<String> valuationsSnapshot(Subscription subscription, StreamOptions options) {
    keepValuationsOf(subscription.bank());
    List<String> items = new ArrayList<>();
    String key = options.signature();
    for (Valuation v : valuations.seenBy(subscription::sees)) {
      Item item = valuationItem(v.bank(), v.pledgeId());
      if (!item.hasValue()) {
        item.update(v, sourceTs(v), 0, 0);
      }
      items.add(item.encoded(options, key));
    }
    return items;
  }

  /**
   * Windows follow one another every {@link #windowMillis} after the previous one started. A hub
   * that serves so many desks that writing a window takes more than its share of the loop ({@code
   * GP_WS_LOOP_SHARE}, a third) lengthens its windows (fewer, fuller frames; every frame still
   * carries the latest state), so the event loop keeps time for ticks, requests and reads, and
   * desks that cannot read 20 frames a second are not sent them. With shards, a desk's window is
   * the shards' windows together, and what writing it takes is what writing one shard took, times
   * the shards.
   *
   * <p>A turn is timed until its frames are in the kernel's hands. On epoll a write is a system
   * call made there and then; on io_uring it is queued, and the kernel does it when the event loop
   * next submits its queue, after the turn's task. So the turn ends when a task queued on the
   * loop's schedule at the end of the flush runs: after the loop's next I/O pass, which submits the
   * writes. Timed to the end of the flush only, io_uring's turns looked cheaper than they were, and
   * at 5,000 desks the hub wrote twice the frames and the desks fell behind (BENCHMARKS.md,
   * "io_uring").
   */
  private void scheduleFlush(long delayMillis) {
    flushTimer =
        vertx.setTimer(
            Math.max(1, delayMillis),
            id -> {
              long started = System.nanoTime();
              flush();
              afterNextIoPass(
                  (io.vertx.core.internal.ContextInternal) vertx.getOrCreateContext(),
                  () -> {
                    if (stopped) {
                      return;
                    }
                    long tookNanos = System.nanoTime() - started;
                    scheduleFlush(nextTurnMillis(tookNanos) - tookNanos / 1_000_000);
                  });
            });
  }

  /**
   * Runs {@code then} on the hub's context after the event loop's next I/O pass: a task scheduled
   * on the Netty loop is taken up only at the start of a pass of tasks, and the loop does its I/O
   * between two passes.
   */
  static void afterNextIoPass(io.vertx.core.internal.ContextInternal context, Runnable then) {
    context
        .nettyEventLoop()
        .schedule(
            () -> context.runOnContext(v -> then.run()),
            0,
            java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * After a turn that took {@code tookNanos}: the next turn's length, and the desks' window it
   * implies published ({@code gp_ws_window_seconds}). The turn is timed in nanoseconds: in whole
   * milliseconds, a turn of 2.9 ms would count as 2, and with many shards the round's writing time
   * (and so the share of the loop it takes) would be underestimated by up to a millisecond a shard.
   */
  long nextTurnMillis(long tookNanos) {
    long round =
        windowMillis(
            settings.window().toMillis(),
            tookNanos * shards.size() / 1_000_000,
            settings.loopShare());
    deskWindow.set(round);
    return turnMillis(round, shards.size(), window);
  }

  /**
   * The length of turn {@code turn} when a desk's window is {@code deskWindow} and its desks are in
   * {@code shards} shards: the window shared among the shards, the remainder of the division spread
   * over the turns so that every {@code shards} turns add up to the window (50 ms in 32 shards:
   * turns of 1 and 2 ms, not 32 turns of 1 ms).
   */
  static long turnMillis(long deskWindow, int shards, long turn) {
    long inRound = Math.floorMod(turn, (long) shards);
    return deskWindow * (inRound + 1) / shards - deskWindow * inRound / shards;
  }

  /**
   * The next window's length: the configured one, or the last flush taking {@code sharePercent} of
   * it, at most 1 s.
   */
  static long windowMillis(long configured, long lastFlushMillis, int sharePercent) {
    return Math.max(configured, Math.min(MAX_WINDOW_MILLIS, lastFlushMillis * 100 / sharePercent));
  }

  /**
   * Ends the window: one frame per desk of its shard with something new, then opens the next
   * window. A desk's frame carries the items of each of its lanes that is due (a lane with a {@code
   * maxFrequency} waits its interval after the last frame that carried its items), followed by its
   * queued alerts.
   */
  void flush() {
    long now = System.currentTimeMillis();
    int count = shards.size();
    Map<Desk, Map<String, LaneState>> due = shards.get(slot(window));
    // The items of desks in the same place with the same lane are UTF-8 encoded once per window.
    Map<String, byte[]> shared = new HashMap<>();
    for (Map.Entry<Desk, Map<String, LaneState>> entry : List.copyOf(due.entrySet())) {
      Desk desk = entry.getKey();
      if (desk.blockedForMillis(now) > settings.slowClose().toMillis()
          || desk.queuedAlerts() > settings.maxQueuedAlerts()) {
        slowClosed++;
        metrics.slowClosed(desk.metricsLabel());
        leave(desk);
        desk.close(Desk.Close.SLOW);
        continue;
      }
      List<Subscription.Lane> lanes = desk.subscription().lanes();
      Map<String, LaneState> states = entry.getValue();
      for (Subscription.Lane lane : lanes) {
        deltaLanesSeen |= lane.options().delta();
        if (lane.valuations()) {
          seenByLanes.add(lane.bank());
        }
        track(lane, states);
      }
      if (desk.blocked()) {
        long oldest = window;
        for (LaneState state : states.values()) {
          oldest = Math.min(oldest, state.since);
        }
        desk.lag(desk.blockedForMillis(now), window - oldest, 0);
        continue;
      }
      long ts = clock.getAsLong();
      List<byte[]> parts = new ArrayList<>(lanes.size());
      for (Subscription.Lane lane : lanes) {
        byte[] items = laneItems(lane, states.get(lane.optionsKey()), ts, shared);
        if (items != null && items.length > 0) {
          parts.add(items);
        }
      }
      if (states.size() > lanes.size()) {
        states.keySet().removeIf(key -> lanes.stream().noneMatch(l -> l.optionsKey().equals(key)));
      }
      desk.sendUpdate(parts, ts);
      desk.lag(0, 0, parts.isEmpty() ? 0 : ts);
    }
    if (!due.isEmpty()) {
      // each price change, as the desks of this shard get it
      for (long w = window - count + 1; w <= window; w++) {
        changedLastIn(recent[slot(w)].prices, w, item -> metrics.tickToPush(now - item.sourceTs()));
      }
    }
    if (slot(window) == count - 1) {
      // every shard has been written since the last time: what no lane took is forgotten
      deltaLanes = deltaLanesSeen;
      deltaLanesSeen = false;
      forgetUnseenBanks();
    }
    retire(window - count + 1);
    window++;
  }

  /**
   * The oldest window's changes, now that every shard has been sent them, make room for the next
   * window's: their items that did not change since free what only that window needed.
   */
  private void retire(long oldest) {
    Changes changes = recent[slot(oldest)];
    changedLastIn(changes.prices, oldest, Item::windowSent);
    changes.valuations.values().forEach(list -> changedLastIn(list, oldest, Item::dropEncoding));
    changes.prices.clear();
    changes.valuations.clear();
  }

  /**
   * The banks no lane sees any more are forgotten (their items, which stop following the book now);
   * the banks the lanes see are kept until every shard has been written again.
   */
  private void forgetUnseenBanks() {
    if (!seenByLanes.contains(Subscription.EVERY_BANK)) {
      valuationsByBank.keySet().removeIf(bank -> !seenByLanes.contains(bank));
      for (Changes changes : recent) {
        changes.valuations.keySet().removeIf(bank -> !seenByLanes.contains(bank));
      }
    }
    Set<String> previous = watched;
    watched = seenByLanes;
    seenByLanes = previous;
    seenByLanes.clear();
  }

  /**
   * A lane seen for the first time was subscribed since its shard was last written (its snapshot
   * holds what came before, and the changes since are sent again: an item carries its latest
   * state); a lane whose channels were subscribed again took a new snapshot: a delta lane then
   * sends its next items whole. Done for blocked desks too, so that they catch up from the right
   * window.
   */
  private void track(Subscription.Lane lane, Map<String, LaneState> states) {
    LaneState state = states.get(lane.optionsKey());
    if (state == null) {
      states.put(
          lane.optionsKey(),
          new LaneState(window - shards.size(), lane.stamp(), lane.options().delta()));
    } else if (state.stamp != lane.stamp()) {
      state.stamp = lane.stamp();
      state.whole |= lane.options().delta();
    }
  }

  /**
   * The lane's items for this frame (null: not due), and the lane's state moved past the window.
   */
  private byte[] laneItems(
      Subscription.Lane lane, LaneState state, long ts, Map<String, byte[]> shared) {
    if (ts - state.sentAt < lane.options().minIntervalMillis()) {
      return null;
    }
    long since = state.since;
    boolean whole = state.whole;
    byte[] items =
        since == window - shards.size()
            ? shared.computeIfAbsent(
                whole ? lane.shareKey() + "#whole" : lane.shareKey(),
                k -> utf8(windowItems(lane, since, whole)))
            : shared.computeIfAbsent(
                lane.shareKey() + "@" + since, k -> utf8(catchUpItems(lane, since)));
    state.since = window;
    state.whole = false;
    if (items.length > 0) {
      state.sentAt = ts;
    }
    return items;
  }

  /**
   * The items that changed in the windows since {@code since} (its shard's last), each once, in the
   * form the lane takes: for a delta lane, against what it holds, unless it is to get them whole.
   */
  private List<String> windowItems(Subscription.Lane lane, long since, boolean whole) {
    List<String> items = new ArrayList<>();
    StreamOptions options = lane.options();
    String key = lane.optionsKey();
    Consumer<Item> add =
        whole
            ? item -> items.add(item.encoded(options, key))
            : item -> items.add(item.encoded(options, key, since));
    for (long w = since + 1; w <= window; w++) {
      Changes changes = recent[slot(w)];
      changedLastIn(
          changes.prices,
          w,
          item -> {
            if (lane.wantsPrice(item.key)) {
              add.accept(item);
            }
          });
      if (lane.valuations()) {
        for (Map.Entry<String, List<Item>> bank : changes.valuations.entrySet()) {
          if (lane.sees(bank.getKey())) {
            changedLastIn(bank.getValue(), w, add);
          }
        }
      }
    }
    return items;
  }

  /**
   * Every key that changed after window {@code since}, for a lane that missed windows (its desk was
   * blocked, or its maxFrequency held it back): whole, since the desk may hold any older version.
   */
  private List<String> catchUpItems(Subscription.Lane lane, long since) {
    List<String> items = new ArrayList<>();
    StreamOptions options = lane.options();
    prices.forEach(
        (id, item) -> {
          if (item.window() > since && lane.wantsPrice(id)) {
            items.add(item.encoded(options, lane.optionsKey()));
          }
        });
    if (lane.valuations()) {
      valuationsByBank.forEach(
          (bank, byId) -> {
            if (lane.sees(bank)) {
              byId.values()
                  .forEach(
                      item -> {
                        if (item.window() > since) {
                          items.add(item.encoded(options, lane.optionsKey()));
                        }
                      });
            }
          });
    }
    return items;
  }

  private static byte[] utf8(List<String> items) {
    return String.join(",", items).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private void heartbeat() {
    long now = System.currentTimeMillis();
    for (Desk desk : allDesks()) {
      if (now - desk.lastHeardFrom() > settings.idleTimeout().toMillis()) {
        leave(desk);
        desk.close(Desk.Close.IDLE);
      } else if (!desk.blocked()) {
        desk.sendHeartbeat();
      }
    }
  }
}
