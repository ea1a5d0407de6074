package io.greenpledge.push;

import io.greenpledge.support.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The desk options over real sockets with each event loop's desks written in three shards: every
 * window writes a third of the desks, so the five desks of the run hold different versions of a key
 * at any moment, and each must still rebuild the full desk's state (a delta always against the
 * version its own desk holds) and keep its maxFrequency.
 */
class DeskShardsIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension(
          "GP_FEEDS",
          "ingest",
          "GP_DEMO",
          "true",
          "GP_WS_WINDOW",
          "30ms",
          "GP_WS_SHARDS",
          "3",
          "GP_RATE_LIMIT",
          "0");

  @Test
  void optionDesksInShardsRebuildTheFullDesksStateAndMaxFrequencyHoldsItsRate() throws Exception {
    DeskOptionsIT.optionDesksRebuildTheFullDesksState(node);
  }
}
