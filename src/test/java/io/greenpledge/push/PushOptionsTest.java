package io.greenpledge.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.config.Settings;
import io.greenpledge.engine.ValuationBatch;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Quote;
import io.greenpledge.ops.Metrics;
import io.greenpledge.support.DeskState;
import io.greenpledge.valuation.CoverageStatus;
import io.greenpledge.valuation.Fixtures;
import io.greenpledge.valuation.PledgeBook;
import io.greenpledge.valuation.Valuation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-subscription options against desks that record what they are sent: {@code maxFrequency}
 * on the hub's clock (moved by the test), {@code fields}, and {@code delta} checked by rebuilding
 * each desk's state with a client written here from the contract (not from the hub's code) over a
 * long random run, against a desk that takes every item whole.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PushOptionsTest {

  private static final Settings.Push SETTINGS =
      new Settings.Push(
          Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(1), 3);

  private static final List<String> INSTRUMENTS = List.of("CEA", "CCER", "CQEA", "CQ-SO2");

  private final Instruments catalog = Instruments.seed();
  private final PledgeBook book = new PledgeBook(catalog);
  private final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void fieldsSendTheKeyAndTheFieldsAskedFor(Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          RecordingDesk desk =
              join(
                  hub, prices().withOptions("prices", options(0, List.of("mark", "stale"), false)));
          hub.onQuote(Fixtures.quote("CEA", 70.00, 0.02, 100_000));
          hub.flush();
          JsonObject data = desk.lastItems().getJsonObject(0).getJsonObject("data");
          assertEquals(List.of("instrument", "mark", "stale"), List.copyOf(data.fieldNames()));
        });
  }

  @Test
  void maxFrequencyHoldsAKeysUpdatesToItsIntervalAndThenSendsTheLatest(
      Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          RecordingDesk slow =
              join(hub, prices().withOptions("prices", options(1000, null, false)));
          RecordingDesk fast = join(hub, prices());
          hub.onQuote(Fixtures.quote("CEA", 70.00, 0.02, 100_000));
          hub.flush();
          now.addAndGet(500);
          hub.onQuote(Fixtures.quote("CEA", 70.50, 0.02, 100_000));
          hub.flush();
          now.addAndGet(499);
          hub.onQuote(Fixtures.quote("CEA", 71.00, 0.02, 100_000));
          hub.flush();
          assertEquals(3, fast.updates.size());
          assertEquals(1, slow.updates.size(), "one update in the first second");
          now.addAndGet(1);
          hub.flush();
          assertEquals(2, slow.updates.size(), "due again one second after the last");
          assertEquals(
              71.0,
              slow.lastItems().getJsonObject(0).getJsonObject("data").getDouble("lastTrade"),
              "the frame after the interval carries the latest state");
        });
  }

  /**
   * Ten thousand windows of random price and valuation changes. Desks with {@code delta}, with
   * {@code fields}, with both and with a {@code maxFrequency}, some made unwritable at random and
   * some subscribing again (a new snapshot) at random, each rebuild the same state as the desk that
   * takes every item whole; no delta ever applies to a version the desk does not hold; and delta
   * frames are smaller.
   */
  @Test
  void deltaAndFieldsDesksRebuildTheStateOfAFullDeskOverALongRandomRun(
      Vertx vertx, VertxTestContext ctx) {
    randomRun(vertx, ctx, SETTINGS);
  }

  /**
   * The same run with the desks in three shards: each window writes one shard, so the desks hold
   * different versions of a key at any moment, and each delta must be against the version its own
   * desk holds.
   */
  @Test
  void inShardsEachDeskRebuildsTheFullStateFromTheVersionItHolds(
      Vertx vertx, VertxTestContext ctx) {
    randomRun(vertx, ctx, SETTINGS.withShards(3));
  }

  private void randomRun(Vertx vertx, VertxTestContext ctx, Settings.Push settings) {
    startHub(
        vertx,
        ctx,
        settings,
        hub -> {
          SplittableRandom random = new SplittableRandom(20261127);
          List<String> fields = List.of("mark", "lastTrade", "coverage", "status", "topUp");
          Client full = new Client(join(hub, pricesAndValuations()));
          Client delta = new Client(subscribe(hub, null, options(0, null, true)));
          Client selected = new Client(subscribe(hub, null, options(0, fields, false)));
          Client both = new Client(subscribe(hub, null, options(0, fields, true)));
          Client slowDelta = new Client(subscribe(hub, null, options(250, null, true)));
          Client flaky = new Client(subscribe(hub, null, options(0, null, true)));
          List<Client> desks = List.of(full, delta, selected, both, slowDelta, flaky);
          IntConsumer window =
              w -> {
                int changes = random.nextInt(4);
                for (int c = 0; c < changes; c++) {
                  if (random.nextBoolean()) {
                    hub.onQuote(randomQuote(random));
                  } else {
                    hub.onValuations(randomValuations(random));
                  }
                }
                if (random.nextInt(50) == 0) {
                  flaky.desk.blocked = !flaky.desk.blocked;
                }
                if (random.nextInt(500) == 0) {
                  // subscribe again mid-window: a snapshot, and the next delta items are whole
                  subscribe(hub, delta.desk, options(0, null, true));
                }
                now.addAndGet(50);
                hub.flush();
                desks.forEach(Client::read);
              };
          Runnable last =
              () -> {
                flaky.desk.blocked = false;
                now.addAndGet(1000);
                for (int shard = 0; shard < settings.shards(); shard++) {
                  hub.flush();
                }
                desks.forEach(Client::read);
                assertFalse(full.state.state().isEmpty());
                assertEquals(
                    full.state.state(), delta.state.state(), "delta rebuilds the full state");
                assertEquals(
                    full.state.state(),
                    slowDelta.state.state(),
                    "delta at 4 updates a second as well");
                assertEquals(
                    full.state.state(),
                    flaky.state.state(),
                    "delta across unwritable spells as well");
                assertEquals(
                    full.state.project(fields),
                    selected.state.state(),
                    "fields: the fields asked for");
                assertEquals(full.state.project(fields), both.state.state(), "fields with delta");
                assertTrue(
                    delta.state.deltas() > 1000, "deltas were sent: " + delta.state.deltas());
                assertTrue(
                    delta.desk.bytes < full.desk.bytes * 0.9,
                    "delta bytes " + delta.desk.bytes + " against full " + full.desk.bytes);
              };
          inSlices(vertx, ctx, 0, 10_000, window, last);
        });
  }

  /**
   * Windows {@code from} to {@code total} on the hub's event loop, a hundred per task, so the long
   * run never holds the loop for seconds; then the checks, and the test completes.
   */
  private static void inSlices(
      Vertx vertx, VertxTestContext ctx, int from, int total, IntConsumer window, Runnable last) {
    vertx.runOnContext(
        v ->
            ctx.verify(
                () -> {
                  int to = Math.min(total, from + 100);
                  for (int w = from; w < to; w++) {
                    window.accept(w);
                  }
                  if (to < total) {
                    inSlices(vertx, ctx, to, total, window, last);
                  } else {
                    last.run();
                    ctx.completeNow();
                  }
                }));
  }

  private static Quote randomQuote(SplittableRandom random) {
    String instrument = INSTRUMENTS.get(random.nextInt(INSTRUMENTS.size()));
    // few distinct prices: a tick often leaves the mark where it was
    double price = 60 + random.nextInt(20) * 0.5;
    return Fixtures.quote(instrument, price, 0.02, 100_000);
  }

  /** One to three pledges of DEMO-A or DEMO-B revalued at a random price of their instrument. */
  private ValuationBatch randomValuations(SplittableRandom random) {
    String instrument = INSTRUMENTS.get(random.nextInt(INSTRUMENTS.size()));
    List<Valuation> valuations = new ArrayList<>();
    Quote quote = Fixtures.quote(instrument, 60 + random.nextInt(20) * 0.5, 0.02, 100_000);
    for (int i = random.nextInt(1, 4); i > 0; i--) {
      int n = random.nextInt(10);
      String bank = n < 7 ? "DEMO-A" : "DEMO-B";
      String id = "P-" + instrument + "-" + n;
      book.upsert(
          Fixtures.pledge(id, bank, instrument, 10_000, 500_000 + n * 10_000L),
          quote,
          CoverageStatus.HEALTHY,
          Fixtures.NOW,
          Fixtures.TODAY);
      valuations.add(book.valuation(id).orElseThrow());
    }
    return new ValuationBatch(instrument, valuations);
  }

  /** A desk and what a client of the contract rebuilds from its frames. */
  private static final class Client {
    final RecordingDesk desk;
    final DeskState state = new DeskState();
    int read;

    Client(RecordingDesk desk) {
      this.desk = desk;
      read();
    }

    void read() {
      desk.snapshots.forEach(state::apply);
      desk.snapshots.clear();
      for (; read < desk.updates.size(); read++) {
        new JsonArray("[" + new String(desk.updates.get(read), StandardCharsets.UTF_8) + "]")
            .forEach(item -> state.apply((JsonObject) item));
      }
    }
  }

  private void onHub(Vertx vertx, VertxTestContext ctx, Consumer<PushHub> test) {
    startHub(
        vertx,
        ctx,
        hub -> {
          test.accept(hub);
          ctx.completeNow();
        });
  }

  /** A started hub on an event loop, handed to {@code test}, which completes the test itself. */
  private void startHub(Vertx vertx, VertxTestContext ctx, Consumer<PushHub> test) {
    startHub(vertx, ctx, SETTINGS, test);
  }

  private void startHub(
      Vertx vertx, VertxTestContext ctx, Settings.Push settings, Consumer<PushHub> test) {
    vertx.runOnContext(
        v -> {
          PushHub hub =
              new PushHub(
                  vertx,
                  catalog,
                  new QuoteBoard(),
                  new ValuationBoard(book),
                  null,
                  settings,
                  new Metrics());
          hub.clock(now::get);
          hub.start().onComplete(ctx.succeeding(started -> ctx.verify(() -> test.accept(hub))));
        });
  }

  private static RecordingDesk join(PushHub hub, Subscription subscription) {
    RecordingDesk desk = new RecordingDesk(subscription);
    hub.join(desk);
    return desk;
  }

  /**
   * What a desk session does for a subscribe of prices and valuations with these options: the
   * subscription, then the two snapshots.
   */
  private static RecordingDesk subscribe(PushHub hub, RecordingDesk desk, StreamOptions options) {
    RecordingDesk subscribed = desk != null ? desk : join(hub, Subscription.none("DEMO-A"));
    subscribed.subscription =
        subscribed
            .subscription
            .withAllPrices(true)
            .withOptions("prices", options)
            .withValuations(true)
            .withOptions("valuations", options);
    hub.pricesSnapshot(subscribed.subscription, options)
        .forEach(item -> subscribed.snapshots.add(new JsonObject(item)));
    hub.valuationsSnapshot(subscribed.subscription, options)
        .forEach(item -> subscribed.snapshots.add(new JsonObject(item)));
    return subscribed;
  }

  private static Subscription prices() {
    return Subscription.none("DEMO-A").withAllPrices(true);
  }

  private static Subscription pricesAndValuations() {
    return prices().withValuations(true);
  }

  private static StreamOptions options(long interval, List<String> fields, boolean delta) {
    return new StreamOptions(interval, fields, delta);
  }
}
