package io.greenpledge.api;

import io.greenpledge.auth.Caller;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers every handler uses. */
final class Requests {

  private static final String CALLER = "gp.caller";

  private Requests() {}

  static void sendJson(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** A query parameter the contract has already checked to be an integer in range. */
  static int intParam(RoutingContext ctx, String name, int fallback) {
    String value = ctx.request().getParam(name);
    return value == null ? fallback : Integer.parseInt(value);
  }

  static void setCaller(RoutingContext ctx, Caller caller) {
    ctx.put(CALLER, caller);
  }

  /** The verified caller; the role check stored it before any operation handler runs. */
  static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }
}
