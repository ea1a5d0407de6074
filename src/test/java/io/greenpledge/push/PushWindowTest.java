package io.greenpledge.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PushWindowTest {

  @Test
  void aHubKeepsItsWindowUntilWritingOneTakesMoreThanAFifthOfIt() {
    assertEquals(50, PushHub.windowMillis(50, 0));
    assertEquals(50, PushHub.windowMillis(50, 10));
    assertEquals(55, PushHub.windowMillis(50, 11));
    assertEquals(400, PushHub.windowMillis(50, 80));
  }

  @Test
  void aWindowNeverGrowsPastOneSecond() {
    assertEquals(PushHub.MAX_WINDOW_MILLIS, PushHub.windowMillis(50, 5_000));
    assertEquals(
        2_000, PushHub.windowMillis(2_000, 5_000), "a configured window longer than that is kept");
  }

  @Test
  void inShardsADesksWindowIsTheShardsWindowsAndLengthensWithWhatWritingThemAllTakes() {
    assertEquals(50, PushHub.turnMillis(50, 10, 1), "one shard: the window");
    assertEquals(12, PushHub.turnMillis(50, 2, 4), "four shards: a quarter of it each");
    assertEquals(
        100, PushHub.turnMillis(50, 20, 4), "four shards of 20 ms: a desk's window of 400 ms");
  }
}
