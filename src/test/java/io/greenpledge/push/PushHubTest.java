package io.greenpledge.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.config.Settings;
import io.greenpledge.engine.ValuationBatch;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.market.Instruments;
import io.greenpledge.ops.Metrics;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hub against desks that record what they are sent, on one event loop as in the gateway. The
 * windows are flushed by the test (the timer is set to an hour), so every frame is accounted for.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class PushHubTest {

  private static final Settings.Push SETTINGS =
      new Settings.Push(
          Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(1), 3);

  private final Instruments catalog = Instruments.seed();
  private final PledgeBook book = new PledgeBook(catalog);

  @Test
  void aDeskGetsTheLatestStateOfAKeyOncePerWindow(Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          RecordingDesk desk = join(hub, prices("DEMO-A"));
          hub.onQuote(Fixtures.quote("CEA", 70.00, 0.02, 100_000));
          hub.onQuote(Fixtures.quote("CEA", 71.50, 0.02, 100_000));
          hub.flush();
          JsonArray items = desk.lastItems();
          assertEquals(1, desk.updates.size());
          assertEquals(1, items.size(), "two changes of one key in a window are one item");
          assertEquals(
              "71.5",
              items.getJsonObject(0).getJsonObject("data").getValue("lastTrade").toString());
          hub.flush();
          assertEquals(1, desk.updates.size(), "a window with nothing new sends nothing");
        });
  }

  @Test
  void upToDateDesksWithOneSubscriptionShareOneEncodedWindow(Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          RecordingDesk first = join(hub, prices("DEMO-A"));
          RecordingDesk second = join(hub, prices("DEMO-A"));
          RecordingDesk onlyCcer =
              join(hub, Subscription.none("DEMO-A").withInstrument("CCER", true));
          hub.onQuote(Fixtures.quote("CEA", 70.00, 0.02, 100_000));
          hub.onQuote(Fixtures.quote("CCER", 80.00, 0.02, 100_000));
          hub.flush();
          assertSame(first.updates.get(0), second.updates.get(0), "encoded once, written to both");
          assertNotSame(first.updates.get(0), onlyCcer.updates.get(0));
          assertEquals(2, first.lastItems().size());
          assertEquals(1, onlyCcer.lastItems().size());
          assertEquals("prices:CCER", onlyCcer.lastItems().getJsonObject(0).getString("channel"));
        });
  }

  @Test
  void aDeskReceivesOnlyItsOwnBanksValuationsAndTheRegulatorEveryBanks(
      Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          RecordingDesk bankA = join(hub, Subscription.none("BANK-A").withValuations(true));
          RecordingDesk bankB = join(hub, Subscription.none("BANK-B").withValuations(true));
          RecordingDesk regulator =
              join(hub, Subscription.none(Subscription.EVERY_BANK).withValuations(true));
          hub.onValuations(
              new ValuationBatch(
                  "CEA", List.of(valuation("PA", "BANK-A"), valuation("PB", "BANK-B"))));
          hub.flush();
          assertEquals(List.of("BANK-A"), banks(bankA.lastItems()));
          assertEquals(List.of("BANK-B"), banks(bankB.lastItems()));
          assertEquals(List.of("BANK-A", "BANK-B"), banks(regulator.lastItems()));
        });
  }

  @Test
  void theHubKeepsOnlyTheValuationsOfTheBanksItsDesksSee(Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          ValuationBatch batch =
              new ValuationBatch(
                  "CEA", List.of(valuation("PA", "BANK-A"), valuation("PB", "BANK-B")));
          RecordingDesk pricesOnly = join(hub, prices("BANK-A"));
          hub.onValuations(batch);
          hub.flush();
          assertEquals(0, hub.valuationsKept(), "a desk of prices only keeps no valuation");
          RecordingDesk bankA = join(hub, Subscription.none("BANK-A").withValuations(true));
          hub.onValuations(batch);
          hub.flush();
          assertEquals(1, hub.valuationsKept(), "only the bank a desk sees");
          assertEquals(List.of("BANK-A"), banks(bankA.lastItems()));
          RecordingDesk regulator =
              join(hub, Subscription.none(Subscription.EVERY_BANK).withValuations(true));
          hub.onValuations(batch);
          hub.flush();
          assertEquals(2, hub.valuationsKept(), "a regulator's desk sees every bank");
          hub.leave(regulator);
          hub.flush();
          assertEquals(1, hub.valuationsKept(), "forgotten with the last desk that saw it");
          hub.leave(bankA);
          hub.flush();
          assertEquals(0, hub.valuationsKept());
          assertTrue(pricesOnly.updates.isEmpty());
        });
  }

  @Test
  void aBankForgottenAndSubscribedAgainStartsFromTheBookNotFromOldItems(
      Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          Valuation before = valuation("PA", "BANK-A");
          RecordingDesk first = join(hub, Subscription.none("BANK-A"));
          first.subscription = first.subscription.withValuations(true);
          hub.valuationsSnapshot(first.subscription, StreamOptions.DEFAULT);
          hub.onValuations(new ValuationBatch("CEA", List.of(before)));
          hub.flush();
          hub.leave(first);
          hub.flush();
          // the book moves while no desk sees the bank: the hub does not follow it
          List<Valuation> moved = revalueCeaAt(75.00);
          hub.onValuations(new ValuationBatch("CEA", moved));
          hub.flush();
          List<String> snapshot =
              hub.valuationsSnapshot(
                  Subscription.none("BANK-A").withValuations(true), StreamOptions.DEFAULT);
          assertEquals(1, snapshot.size());
          assertTrue(moved.get(0).marketValueFen() != before.marketValueFen());
          assertEquals(
              moved.get(0).marketValueFen(),
              new java.math.BigDecimal(
                      new JsonObject(snapshot.get(0))
                          .getJsonObject("data")
                          .getValue("marketValue")
                          .toString())
                  .movePointRight(2)
                  .longValueExact(),
              "the snapshot is the book's value, not the value the hub had when it forgot the bank");
        });
  }

  /**
   * A mark change's batch names the pledges; the hub reads the valuations of the banks it keeps
   * from the book. A batch whose pledges the hub already holds at the book's valuation sends
   * nothing again, and a pledge released before the hub reads it is left out.
   */
  @Test
  void aMarkChangesBatchIsReadFromTheBookOncePerChange(Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          valuation("PA", "BANK-A");
          valuation("PB", "BANK-B");
          RecordingDesk desk = join(hub, Subscription.none("BANK-A").withValuations(true));
          hub.valuationsSnapshot(desk.subscription, StreamOptions.DEFAULT);
          ValuationBatch fall = markChange(71.00);
          hub.onValuations(fall);
          hub.flush();
          assertEquals(1, desk.updates.size());
          assertEquals(List.of("BANK-A"), banks(desk.lastItems()));
          assertEquals(
              book.valuation("PA").orElseThrow().marketValueFen(),
              new java.math.BigDecimal(
                      desk.lastItems()
                          .getJsonObject(0)
                          .getJsonObject("data")
                          .getValue("marketValue")
                          .toString())
                  .movePointRight(2)
                  .longValueExact());
          // the same batch again (a second tick whose change the first read already took)
          hub.onValuations(fall);
          hub.flush();
          assertEquals(1, desk.updates.size(), "nothing changed since the hub read the book");
          // a pledge released before the hub reads the batch is not sent
          ValuationBatch rise = markChange(72.00);
          book.upsert(
              Fixtures.released(Fixtures.pledge("PA", "BANK-A", "CEA", 10_000, 500_000)),
              Fixtures.quote("CEA", 72.00, 0.02, 100_000),
              null,
              Fixtures.NOW,
              Fixtures.TODAY);
          hub.onValuations(rise);
          hub.flush();
          assertEquals(1, desk.updates.size());
        });
  }

  private ValuationBatch markChange(double price) {
    return new ValuationBatch(
        "CEA",
        book.revalue(Fixtures.quote("CEA", price, 0.02, 100_000), Fixtures.NOW, Fixtures.TODAY)
            .revalued());
  }

  /**
   * With the desks in two shards, each window writes one shard, and each desk's frame carries every
   * key that changed since its own last frame, once, at its latest state.
   */
  @Test
  void inShardsEachWindowWritesOneShardAndADeskGetsEveryChangeSinceItsLastFrame(
      Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        SETTINGS.withShards(2),
        hub -> {
          RecordingDesk first = join(hub, prices("DEMO-A"));
          RecordingDesk second = join(hub, prices("DEMO-A"));
          hub.onQuote(Fixtures.quote("CEA", 70.00, 0.02, 100_000));
          hub.flush();
          assertEquals(List.of(0, 1), List.of(first.updates.size(), second.updates.size()));
          hub.onQuote(Fixtures.quote("CCER", 80.00, 0.02, 100_000));
          hub.onQuote(Fixtures.quote("CEA", 71.50, 0.02, 100_000));
          hub.flush();
          assertEquals(List.of(1, 1), List.of(first.updates.size(), second.updates.size()));
          assertEquals(Set.of("prices:CEA", "prices:CCER"), channels(first.lastItems()));
          hub.flush();
          assertEquals(List.of(1, 2), List.of(first.updates.size(), second.updates.size()));
          assertEquals(
              List.of("prices:CCER", "prices:CEA"),
              second.lastItems().stream().map(i -> ((JsonObject) i).getString("channel")).toList(),
              "both keys changed since its last frame, each once");
          assertEquals("71.5", lastTrade(second.lastItems(), "prices:CEA"));
          hub.flush();
          assertEquals(1, first.updates.size(), "nothing changed since its last frame");
        });
  }

  /**
   * A bank is forgotten only when no desk of any shard saw it: a shard written without it does not
   * make the hub stop following the book for a desk of another shard.
   */
  @Test
  void inShardsABankIsKeptUntilEveryShardHasBeenWrittenWithoutIt(
      Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        SETTINGS.withShards(2),
        hub -> {
          RecordingDesk bankA = join(hub, Subscription.none("BANK-A").withValuations(true));
          join(hub, prices("BANK-A"));
          hub.flush();
          hub.onValuations(new ValuationBatch("CEA", List.of(valuation("PA", "BANK-A"))));
          hub.flush();
          assertEquals(List.of("BANK-A"), banks(bankA.lastItems()));
          hub.flush();
          List<Valuation> moved = revalueCeaAt(75.00);
          hub.onValuations(new ValuationBatch("CEA", moved));
          hub.flush();
          assertEquals(2, bankA.updates.size(), "the move reached the desk of the other shard");
          assertEquals(1, hub.valuationsKept());
        });
  }

  @Test
  void aBlockedDeskCatchesUpWithEveryKeyThatChangedWhileItWasBlocked(
      Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          RecordingDesk slow = join(hub, prices("DEMO-A"));
          RecordingDesk fast = join(hub, prices("DEMO-A"));
          slow.blocked = true;
          hub.onQuote(Fixtures.quote("CEA", 70.00, 0.02, 100_000));
          hub.flush();
          hub.onQuote(Fixtures.quote("CCER", 80.00, 0.02, 100_000));
          hub.flush();
          assertTrue(slow.updates.isEmpty(), "nothing is written to an unwritable socket");
          slow.blocked = false;
          hub.flush();
          assertEquals(2, fast.updates.size());
          assertEquals(1, slow.updates.size(), "one frame catches up both windows");
          assertEquals(Set.of("prices:CEA", "prices:CCER"), channels(slow.lastItems()));
        });
  }

  @Test
  void aDeskUnwritableLongerThanSlowCloseIsClosedAndForgotten(Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          RecordingDesk stalled = join(hub, prices("DEMO-A"));
          RecordingDesk healthy = join(hub, prices("DEMO-A"));
          stalled.blocked = true;
          stalled.blockedMillis = SETTINGS.slowClose().toMillis() + 1;
          hub.flush();
          assertEquals(Desk.Close.SLOW, stalled.closed);
          assertNull(healthy.closed);
          assertEquals(1, hub.sessions());
          assertEquals(1, hub.slowConsumersClosed());
        });
  }

  @Test
  void alertsAreNeverDroppedSoADeskWithTooManyQueuedIsClosed(Vertx vertx, VertxTestContext ctx) {
    onHub(
        vertx,
        ctx,
        hub -> {
          RecordingDesk desk = join(hub, prices("DEMO-A"));
          desk.queuedAlerts = SETTINGS.maxQueuedAlerts() + 1;
          hub.flush();
          assertEquals(Desk.Close.SLOW, desk.closed);
          assertEquals(0, hub.sessions());
        });
  }

  @Test
  void stoppingTellsEveryDeskItIsGoingAway(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext(
        v -> {
          PushHub hub = hub(vertx);
          hub.start()
              .compose(
                  started -> {
                    RecordingDesk desk = join(hub, prices("DEMO-A"));
                    return hub.stop().map(stopped -> desk);
                  })
              .onComplete(
                  ctx.succeeding(
                      desk ->
                          ctx.verify(
                              () -> {
                                assertEquals(Desk.Close.GOING_AWAY, desk.closed);
                                assertEquals(0, hub.sessions());
                                ctx.completeNow();
                              })));
        });
  }

  private void onHub(Vertx vertx, VertxTestContext ctx, Consumer<PushHub> test) {
    onHub(vertx, ctx, SETTINGS, test);
  }

  private void onHub(
      Vertx vertx, VertxTestContext ctx, Settings.Push settings, Consumer<PushHub> test) {
    vertx.runOnContext(
        v -> {
          PushHub hub = hub(vertx, settings);
          hub.start()
              .onComplete(
                  ctx.succeeding(
                      started ->
                          ctx.verify(
                              () -> {
                                test.accept(hub);
                                ctx.completeNow();
                              })));
        });
  }

  private PushHub hub(Vertx vertx) {
    return hub(vertx, SETTINGS);
  }

  private PushHub hub(Vertx vertx, Settings.Push settings) {
    return new PushHub(
        vertx, catalog, new QuoteBoard(), new ValuationBoard(book), null, settings, new Metrics());
  }

  /** The book's pledges of CEA revalued at {@code price}: those it revalued. */
  private List<Valuation> revalueCeaAt(double price) {
    List<Valuation> moved = new ArrayList<>();
    book.revalue(
        Fixtures.quote("CEA", price, 0.02, 100_000), Fixtures.NOW, Fixtures.TODAY, moved::add);
    return moved;
  }

  private static String lastTrade(JsonArray items, String channel) {
    for (Object item : items) {
      if (channel.equals(((JsonObject) item).getString("channel"))) {
        return ((JsonObject) item).getJsonObject("data").getValue("lastTrade").toString();
      }
    }
    return null;
  }

  private static RecordingDesk join(PushHub hub, Subscription subscription) {
    RecordingDesk desk = new RecordingDesk(subscription);
    hub.join(desk);
    return desk;
  }

  private static Subscription prices(String bank) {
    return Subscription.none(bank).withAllPrices(true);
  }

  private Valuation valuation(String id, String bank) {
    book.upsert(
        Fixtures.pledge(id, bank, "CEA", 10_000, 500_000),
        Fixtures.quote("CEA", 70.00, 0.02, 100_000),
        CoverageStatus.HEALTHY,
        Fixtures.NOW,
        Fixtures.TODAY);
    return book.valuation(id).orElseThrow();
  }

  private static List<String> banks(JsonArray items) {
    List<String> banks = new ArrayList<>();
    items.forEach(item -> banks.add(((JsonObject) item).getJsonObject("data").getString("bank")));
    return banks;
  }

  private static Set<String> channels(JsonArray items) {
    Set<String> channels = new java.util.HashSet<>();
    items.forEach(item -> channels.add(((JsonObject) item).getString("channel")));
    return channels;
  }
}
