package io.greenpledge.api;

import io.greenpledge.alerts.event.Cause;
import io.greenpledge.book.MarginCallRepository;
import io.greenpledge.calls.CallRules;
import io.greenpledge.calls.CallState;
import io.greenpledge.calls.MarginCall;
import io.greenpledge.engine.Bus;
import io.greenpledge.engine.CallMoved;
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
  private final FourEyes fourEyes;

  MarginCallApi(MarginCallRepository calls, ValuationBoard board, FourEyes fourEyes) {
    this.calls = calls;
    this.board = board;
    this.fourEyes = fourEyes;
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
                      fourEyes
                          .required(call.bank())
                          .onSuccess(
                              required -> {
                                if (action.equals("resolve")
                                    && call.state().live()
                                    && required.contains(FourEyes.CALL_CANCEL)) {
                                  fourEyes.request(
                                      ctx,
                                      call.bank(),
                                      FourEyes.CALL_CANCEL,
                                      Long.toString(call.id()),
                                      new JsonObject()
                                          .put("state", call.state().name())
                                          .put("reason", reason));
                                  return;
                                }
                                deskMove(ctx, call, move.to().get(), reason);
                              })
                          .onFailure(ctx::fail);
                    }))
        .onFailure(ctx::fail);
  }

  private void deskMove(RoutingContext ctx, MarginCall call, CallState to, String reason) {
    calls
        .move(call, to, null, Instant.now(), Cause.DESK, Optional.of(Requests.actor(ctx)), reason)
        .onSuccess(
            moved ->
                moved.ifPresentOrElse(
                    m -> {
                      told(ctx, m, call);
                      Requests.sendJson(ctx, CallJson.call(m, dueNow(m)));
                    },
                    () ->
                        Problems.send(
                            ctx,
                            409,
                            "call-state",
                            "Call changed meanwhile",
                            "the call moved on before this request; reload it")))
        .onFailure(ctx::fail);
  }

  /**
   * Applies an approved cancellation: the decision and the move are one transaction; a call that
   * moved since the request refuses it (409) and the request stays pending.
   */
  void applyCancel(
      RoutingContext ctx, io.greenpledge.book.ChangeRequestRepository.ChangeRequest request) {
    calls
        .find(Long.parseLong(request.entityId()))
        .onSuccess(
            found -> {
              if (found.isEmpty()
                  || !found.get().state().name().equals(request.payload().getString("state"))) {
                Problems.send(
                    ctx,
                    409,
                    "call-state",
                    "Call changed meanwhile",
                    "the call moved since the request");
                return;
              }
              MarginCall call = found.get();
              Instant now = Instant.now();
              FourEyes.approvedWrite(
                      calls.pool(),
                      Optional.of(FourEyes.approval(ctx, request)),
                      connection ->
                          MarginCallRepository.move(
                                  connection,
                                  call,
                                  CallState.RESOLVED,
                                  null,
                                  now,
                                  Cause.DESK,
                                  Optional.of(Requests.actor(ctx)),
                                  request.payload().getString("reason"))
                              .compose(
                                  moved ->
                                      moved.isEmpty()
                                          ? Future.<MarginCall>failedFuture(new FourEyes.Decided())
                                          : Future.succeededFuture(moved.get())))
                  .onSuccess(
                      m -> {
                        told(ctx, m, call);
                        Requests.sendJson(ctx, CallJson.call(m, Optional.empty()));
                      })
                  .onFailure(
                      e -> {
                        if (e instanceof FourEyes.Decided) {
                          Problems.send(
                              ctx,
                              409,
                              "request-decided",
                              "Request decided",
                              "the request or the call moved meanwhile");
                        } else {
                          ctx.fail(e);
                        }
                      });
            })
        .onFailure(ctx::fail);
  }

  /** Every move is an alert: the risk engine (which numbers alerts) is told of a desk's. */
  private static void told(RoutingContext ctx, MarginCall moved, MarginCall before) {
    Bus.CALL_MOVES.publish(
        ctx.vertx(),
        new CallMoved(
            moved, before.state().name(), Requests.caller(ctx).subject(), Requests.requestId(ctx)));
  }

  /** The call, if the caller's bank may see it; otherwise a 404 is sent. */
  private Future<Optional<MarginCall>> visibleCall(RoutingContext ctx) {
    return Requests.visible(ctx, "callId", "margin call", calls::find, MarginCall::bank);
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
