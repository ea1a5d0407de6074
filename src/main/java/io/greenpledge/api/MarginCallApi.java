package io.greenpledge.api;

import io.greenpledge.book.MarginCallRepository;
import io.greenpledge.calls.CallRules;
import io.greenpledge.calls.CallState;
import io.greenpledge.calls.MarginCall;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.wire.CallJson;
import io.greenpledge.wire.Wire;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code /api/v1/margin-calls}: a bank's calls (the regulator's: every bank's, escalated and
 * overdue first), one call with its history and the top-up due now, and the desk's moves on it
 * (acknowledge, dispute with a reason, resolve), each recorded with its actor and audited.
 */
final class MarginCallApi {

  private final MarginCallRepository calls;
  private final ValuationBoard board;

  MarginCallApi(MarginCallRepository calls, ValuationBoard board) {
    this.calls = calls;
    this.board = board;
  }

  void listCalls(RoutingContext ctx) {
    Scope scope = Scope.of(Requests.caller(ctx));
    Optional<CallState> state;
    try {
      state = Optional.ofNullable(ctx.request().getParam("state")).map(CallState::valueOf);
    } catch (IllegalArgumentException e) {
      Problems.badRequest(ctx, "state is one of " + java.util.Arrays.toString(CallState.values()));
      return;
    }
    calls
        .list(scope.bank(), state, Requests.intParam(ctx, "limit", 100))
        .onSuccess(
            found ->
                Requests.sendJson(
                    ctx, Wire.list(found.stream().map(c -> CallJson.call(c, dueNow(c))).toList())))
        .onFailure(ctx::fail);
  }

  void getCall(RoutingContext ctx) {
    visibleCall(ctx)
        .onSuccess(
            found ->
                found.ifPresent(
                    call ->
                        calls
                            .events(call.id())
                            .onSuccess(
                                events ->
                                    Requests.sendJson(
                                        ctx,
                                        CallJson.call(call, dueNow(call))
                                            .put("history", CallJson.history(events))))
                            .onFailure(ctx::fail)))
        .onFailure(ctx::fail);
  }

  void acknowledge(RoutingContext ctx) {
    act(ctx, "acknowledge");
  }

  void dispute(RoutingContext ctx) {
    act(ctx, "dispute");
  }

  void resolve(RoutingContext ctx) {
    act(ctx, "resolve");
  }

  private void act(RoutingContext ctx, String action) {
    JsonObject body =
        ctx.body() == null || ctx.body().isEmpty() ? new JsonObject() : ctx.body().asJsonObject();
    String reason = body.getString("reason");
    if (action.equals("dispute") && (reason == null || reason.isBlank())) {
      Problems.badRequest(ctx, "a dispute needs a reason");
      return;
    }
    visibleCall(ctx)
        .onSuccess(
            found ->
                found.ifPresent(
                    call -> {
                      CallRules.Result move = CallRules.desk(call.state(), action);
                      if (move.to().isEmpty()) {
                        Problems.send(ctx, 409, "call-state", "Not in this state", move.refusal());
                        return;
                      }
                      calls
                          .move(
                              call,
                              move.to().get(),
                              null,
                              Instant.now(),
                              "DESK",
                              Optional.of(Requests.actor(ctx)),
                              reason)
                          .onSuccess(
                              moved ->
                                  moved.ifPresentOrElse(
                                      m -> Requests.sendJson(ctx, CallJson.call(m, dueNow(m))),
                                      () ->
                                          Problems.send(
                                              ctx,
                                              409,
                                              "call-state",
                                              "Call changed meanwhile",
                                              "the call moved on before this request; reload it")))
                          .onFailure(ctx::fail);
                    }))
        .onFailure(ctx::fail);
  }

  /** The call, if the caller's bank may see it; otherwise a 404 is sent. */
  private Future<Optional<MarginCall>> visibleCall(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("callId"));
    } catch (NumberFormatException e) {
      Problems.notFound(ctx, "no margin call " + ctx.pathParam("callId"));
      return Future.succeededFuture(Optional.empty());
    }
    Scope scope = Scope.of(Requests.caller(ctx));
    return calls
        .find(id)
        .map(
            found -> {
              Optional<MarginCall> visible = found.filter(c -> scope.sees(c.bank()));
              if (visible.isEmpty()) {
                Problems.notFound(ctx, "no margin call " + id + " in your book");
              }
              return visible;
            });
  }

  /** The top-up the pledge needs now (live), while the call asks for something. */
  private Optional<java.math.BigDecimal> dueNow(MarginCall call) {
    return call.state().live()
        ? board
            .get(call.pledgeId())
            .map(v -> io.greenpledge.valuation.Exact.decimal(v.topUpFen(), 2))
        : Optional.empty();
  }
}
