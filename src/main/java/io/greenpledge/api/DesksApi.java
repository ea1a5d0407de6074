package io.greenpledge.api;

import io.greenpledge.push.DeskRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * {@code GET /api/v1/desks}, presence: a bank's risk-admin sees its bank's desk sockets on the node
 * that answers (who, since when, which channels with which options, how far behind); the regulator
 * sees how many desks each bank has, never who. Per node: behind a load balancer each replica
 * answers for its own sockets, named by {@code node}.
 */
final class DesksApi {

  private final DeskRegistry registry;
  private final String node;

  DesksApi(DeskRegistry registry, String node) {
    this.registry = registry;
    this.node = node;
  }

  void list(RoutingContext ctx) {
    Scope scope = Scope.of(Requests.caller(ctx));
    JsonObject body = new JsonObject().put("node", node).put("asOf", Instant.now().toString());
    if (scope.everyBank()) {
      JsonArray banks = new JsonArray();
      registry
          .countsByBank()
          .forEach(
              (bank, count) ->
                  banks.add(
                      new JsonObject()
                          .put("bank", DeskRegistry.REGULATOR.equals(bank) ? "regulator" : bank)
                          .put("desks", count)));
      Requests.sendJson(ctx, body.put("banks", banks));
      return;
    }
    if (scope.bank().isEmpty()) {
      Problems.forbidden(ctx, "presence is a bank's (risk-admin) or the regulator's");
      return;
    }
    JsonArray desks = new JsonArray();
    for (DeskRegistry.Presence desk : registry.ofBank(scope.bank().get())) {
      JsonArray channels = new JsonArray();
      desk.channels()
          .forEach(
              channel ->
                  channels.add(
                      new JsonObject()
                          .put("channel", channel.name())
                          .put("maxFrequency", channel.maxFrequency())
                          .put(
                              "fields",
                              channel.fields() == null ? null : new JsonArray(channel.fields()))
                          .put("delta", channel.delta())));
      desks.add(
          new JsonObject()
              .put("id", desk.id)
              .put("subject", desk.subject)
              .put("connectedAt", desk.connectedAt.toString())
              .put("channels", channels)
              .put(
                  "lag",
                  new JsonObject()
                      .put("unwritableMillis", desk.unwritableMillis())
                      .put("windowsBehind", desk.windowsBehind())
                      .put("queuedAlerts", desk.queuedAlerts()))
              .put(
                  "lastUpdateAt",
                  desk.lastFrameAt() == 0
                      ? null
                      : Instant.ofEpochMilli(desk.lastFrameAt()).toString()));
    }
    Requests.sendJson(ctx, body.put("bank", scope.bank().get()).put("desks", desks));
  }
}
