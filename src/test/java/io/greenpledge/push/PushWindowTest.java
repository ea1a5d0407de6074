package io.greenpledge.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.config.Settings;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.market.Instruments;
import io.greenpledge.ops.Metrics;
import io.greenpledge.valuation.PledgeBook;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PushWindowTest {

  @Test
  void aHubKeepsItsWindowUntilWritingOneTakesMoreThanItsShareOfTheLoop() {
    // a fifth of the loop: the window is at least five times what writing it takes
    assertEquals(50, PushHub.windowMillis(50, 0, 20));
    assertEquals(50, PushHub.windowMillis(50, 10, 20));
    assertEquals(55, PushHub.windowMillis(50, 11, 20));
    assertEquals(400, PushHub.windowMillis(50, 80, 20));
    // a third (the default, 33 %): 80 ms of writing × 100 / 33 = 242 ms
    assertEquals(50, PushHub.windowMillis(50, 16, Settings.Push.DEFAULT_LOOP_SHARE));
    assertEquals(242, PushHub.windowMillis(50, 80, Settings.Push.DEFAULT_LOOP_SHARE));
    // a half: twice
    assertEquals(160, PushHub.windowMillis(50, 80, 50));
  }

  @Test
  void aWindowNeverGrowsPastOneSecond() {
    assertEquals(PushHub.MAX_WINDOW_MILLIS, PushHub.windowMillis(50, 5_000, 33));
    assertEquals(
        2_000,
        PushHub.windowMillis(2_000, 5_000, 33),
        "a configured window longer than that is kept");
  }

  @Test
  void inShardsADesksWindowIsTheShardsWindowsAndLengthensWithWhatWritingThemAllTakes() {
    assertEquals(50, PushHub.turnMillis(50, 1, 7), "one shard: the window");
    assertEquals(
        List.of(12L, 13L, 12L, 13L, 12L),
        turns(50, 4, 5),
        "four shards: a quarter of it each, the remainder spread");
    assertEquals(
        List.of(100L, 100L, 100L, 100L),
        turns(PushHub.windowMillis(50, 4 * 20, 20), 4, 4),
        "four shards of 20 ms: a desk's window of 400 ms");
  }

  @Test
  void everyRoundOfTurnsAddsUpToTheDesksWindow() {
    for (int shards : new int[] {1, 3, 8, 16, 32, 64}) {
      for (long configured : new long[] {10, 25, 50, 51, 1_000}) {
        long round = turns(configured, shards, shards).stream().mapToLong(Long::longValue).sum();
        assertEquals(configured, round, shards + " shards of a " + configured + " ms window");
      }
    }
  }

  @Test
  void eachHubPublishesHowOftenItsDesksGetAFrame() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Metrics metrics = new Metrics();
      Settings.Push settings = push(50, 8).withLoopShare(20);
      PushHub first = hub(vertx, settings, metrics);
      PushHub second = hub(vertx, settings, metrics);
      assertEquals(0.05, window(metrics, "0"), "the configured window before any turn");
      assertEquals(100, first.nextTurnMillis(20_000_000), "eight turns of 20 ms: turns of 100 ms");
      assertEquals(0.8, window(metrics, "0"), "a desk's window: five times 8 x 20 ms");
      assertEquals(0.05, window(metrics, "1"), "each hub its own series");
      assertEquals(6, second.nextTurnMillis(1_000_000));
      assertEquals(0.05, window(metrics, "1"), "a fifth of the loop or less: the configured one");
      second.nextTurnMillis(1_900_000);
      assertEquals(
          0.075,
          window(metrics, "1"),
          "turns of 1.9 ms count as 1.9, not 1: 5 x 8 x 1.9 ms, about 75");
      first.nextTurnMillis(0);
      assertEquals(0.05, window(metrics, "0"), "and back when writing is quick again");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void byDefaultADesksWindowIsAtLeastThreeTimesWhatWritingItTakes() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Metrics metrics = new Metrics();
      PushHub hub = hub(vertx, push(50, 8), metrics);
      hub.nextTurnMillis(20_000_000);
      // eight turns of 20 ms: 160 ms of writing a round, a third of the loop: 160 × 100 / 33
      assertEquals(0.484, window(metrics, "0"));
      hub.nextTurnMillis(2_000_000);
      assertEquals(0.05, window(metrics, "0"), "16 ms of writing: within a third of 50 ms");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Push settings with this window and shard count. */
  private static Settings.Push push(long windowMillis, int shards) {
    return new Settings.Push(
            Duration.ofMillis(windowMillis),
            Duration.ofSeconds(10),
            Duration.ofHours(1),
            Duration.ofHours(1),
            3)
        .withShards(shards);
  }

  /** A hub on the seed catalog with an empty book, not started. */
  private static PushHub hub(Vertx vertx, Settings.Push settings, Metrics metrics) {
    Instruments catalog = Instruments.seed();
    return new PushHub(
        vertx,
        catalog,
        new QuoteBoard(),
        new ValuationBoard(new PledgeBook(catalog)),
        null,
        settings,
        metrics);
  }

  /** The lengths of turns 0 to count - 1. */
  private static List<Long> turns(long deskWindow, int shards, int count) {
    List<Long> turns = new java.util.ArrayList<>();
    for (long turn = 0; turn < count; turn++) {
      turns.add(PushHub.turnMillis(deskWindow, shards, turn));
    }
    return turns;
  }

  @Test
  void aHubHasAtMostOneShardPerMillisecondOfItsWindow() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      for (long[] windowShardsExpected : new long[][] {{20, 32, 20}, {50, 32, 32}, {1, 8, 1}}) {
        PushHub hub =
            hub(vertx, push(windowShardsExpected[0], (int) windowShardsExpected[1]), new Metrics());
        assertEquals(
            windowShardsExpected[2],
            hub.shardCount(),
            windowShardsExpected[1]
                + " shards asked for a "
                + windowShardsExpected[0]
                + " ms window");
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A turn is timed until the loop's next I/O pass, where io_uring hands the turn's writes to the
   * kernel: what the turn queued on its loop runs first, and only then the end of the turn.
   */
  @Test
  void aTurnEndsAfterTheTasksItQueuedAndTheLoopsNextIoPass() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      io.vertx.core.internal.ContextInternal context =
          (io.vertx.core.internal.ContextInternal) vertx.getOrCreateContext();
      List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.CompletableFuture<Void> ended =
          new java.util.concurrent.CompletableFuture<>();
      context.runOnContext(
          v -> {
            PushHub.afterNextIoPass(
                context,
                () -> {
                  order.add("turn ended on " + (Vertx.currentContext() == context));
                  ended.complete(null);
                });
            context.runOnContext(w -> order.add("queued by the turn"));
            order.add("turn");
          });
      ended.get(10, TimeUnit.SECONDS);
      assertEquals(List.of("turn", "queued by the turn", "turn ended on true"), order);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static double window(Metrics metrics, String hub) {
    return metrics.registry().get(Metrics.WS_WINDOW).tag("hub", hub).gauge().value();
  }
}
