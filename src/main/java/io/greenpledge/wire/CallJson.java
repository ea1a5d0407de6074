package io.greenpledge.wire;

import io.greenpledge.book.MarginCallRepository;
import io.greenpledge.calls.MarginCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** Margin calls as the API serves them. */
public final class CallJson {

  private CallJson() {}

  /**
   * @param dueNow the pledge's top-up now, for a live call
   */
  public static JsonObject call(MarginCall c, Optional<BigDecimal> dueNow) {
    return new JsonObject()
        .put("id", c.id())
        .put("bank", c.bank())
        .put("pledgeId", c.pledgeId())
        .put("instrument", c.instrument())
        .put("state", c.state().name())
        .put("openedIn", c.openedIn())
        .put("amountDue", c.amountDue())
        .put("quantityDue", c.quantityDue())
        .put("amountDueNow", dueNow.orElse(null))
        .put("openedAt", Wire.time(c.openedAt()))
        .put("dueAt", Wire.time(c.dueAt()))
        .put("updatedAt", Wire.time(c.updatedAt()))
        .put("version", c.version());
  }

  public static JsonArray history(List<MarginCallRepository.Event> events) {
    JsonArray items = new JsonArray();
    events.forEach(
        e ->
            items.add(
                new JsonObject()
                    .put("at", Wire.time(e.at()))
                    .put("from", e.from())
                    .put("to", e.to())
                    .put("cause", e.cause())
                    .put("actor", e.actor())
                    .put("requestId", e.requestId())
                    .put("reason", e.reason())
                    .put("amountDue", e.amountDue())));
    return items;
  }
}
