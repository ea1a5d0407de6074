package io.greenpledge.support;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Ticks as a connector sends them. */
public final class Ticks {

  private Ticks() {}

  /** A CEA trade stamped now. */
  public static JsonObject cea(long seq, double price, double quantity) {
    return new JsonObject()
        .put("instrument", "CEA")
        .put("price", price)
        .put("quantity", quantity)
        .put("ts", Instant.now().toString())
        .put("seq", seq);
  }
}
