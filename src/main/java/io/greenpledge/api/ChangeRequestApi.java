package io.greenpledge.api;

import io.greenpledge.auth.Caller;
import io.greenpledge.book.ChangeRequestRepository;
import io.greenpledge.book.ChangeRequestRepository.ChangeRequest;
import io.greenpledge.wire.ChangeRequestJson;
import io.greenpledge.wire.Wire;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code /api/v1/change-requests}: a bank's pending four-eyes requests, approved (and then applied)
 * or rejected by a risk-admin of the same bank who is not their maker.
 */
final class ChangeRequestApi {

  private final FourEyes fourEyes;

  /** Who applies an approved request, by its action; the pledge's own changes otherwise. */
  private final java.util.Map<String, java.util.function.BiConsumer<RoutingContext, ChangeRequest>>
      appliers;

  private final java.util.function.BiConsumer<RoutingContext, ChangeRequest> pledgeChanges;

  ChangeRequestApi(
      FourEyes fourEyes,
      PledgeApi pledges,
      MarginCallApi calls,
      DisposalApi disposals,
      PolicyApi policies,
      LimitsApi limits) {
    this.fourEyes = fourEyes;
    this.pledgeChanges = pledges::applyChangeRequest;
    this.appliers =
        java.util.Map.of(
            FourEyes.CALL_CANCEL, calls::applyCancel,
            FourEyes.DISPOSAL_DECIDE, disposals::applyChangeRequest,
            FourEyes.POLICY, policies::applyChangeRequest,
            FourEyes.LIMITS, limits::applyChangeRequest);
  }

  void list(RoutingContext ctx) {
    Scope scope = Scope.of(Requests.caller(ctx));
    Optional<String> state = Optional.ofNullable(ctx.request().getParam("state"));
    Instant now = Instant.now();
    fourEyes
        .requests()
        .list(
            scope.bank(),
            state.map(s -> s.equals("EXPIRED") ? "PENDING" : s),
            Requests.intParam(ctx, "limit", 100))
        .onSuccess(
            found ->
                Requests.sendJson(
                    ctx,
                    Wire.list(
                        found.stream()
                            .filter(r -> state.isEmpty() || r.stateAt(now).equals(state.get()))
                            .map(r -> ChangeRequestJson.request(r, now))
                            .toList())))
        .onFailure(ctx::fail);
  }

  void approve(RoutingContext ctx) {
    decidable(ctx)
        .ifPresent(
            future ->
                future
                    .onSuccess(
                        found ->
                            found.ifPresent(
                                request -> {
                                  ctx.addEndHandler(ended -> tellDecided(ctx, request.id()));
                                  appliers
                                      .getOrDefault(request.action(), pledgeChanges)
                                      .accept(ctx, request);
                                }))
                    .onFailure(ctx::fail));
  }

  /** Approved and applied, or still pending (refused): desks hear of it once it is decided. */
  private void tellDecided(RoutingContext ctx, long id) {
    fourEyes
        .requests()
        .find(id)
        .onSuccess(
            now ->
                now.filter(r -> !r.state().equals("PENDING"))
                    .ifPresent(r -> FourEyes.told(ctx, r)));
  }

  void reject(RoutingContext ctx) {
    JsonObject body =
        ctx.body() == null || ctx.body().isEmpty() ? new JsonObject() : ctx.body().asJsonObject();
    String reason = body.getString("reason");
    if (reason == null || reason.isBlank()) {
      Problems.badRequest(ctx, "a rejection needs a reason");
      return;
    }
    decidable(ctx)
        .ifPresent(
            future ->
                future
                    .onSuccess(
                        found ->
                            found.ifPresent(
                                request ->
                                    fourEyes
                                        .requests()
                                        .pool()
                                        .withTransaction(
                                            connection ->
                                                ChangeRequestRepository.decide(
                                                    connection,
                                                    request.id(),
                                                    "REJECTED",
                                                    Requests.actor(ctx),
                                                    reason,
                                                    Instant.now()))
                                        .onSuccess(
                                            decided ->
                                                decided.ifPresentOrElse(
                                                    r -> {
                                                      FourEyes.told(ctx, r);
                                                      Requests.sendJson(
                                                          ctx,
                                                          ChangeRequestJson.request(
                                                              r, Instant.now()));
                                                    },
                                                    () -> decidedMeanwhile(ctx)))
                                        .onFailure(ctx::fail)))
                    .onFailure(ctx::fail));
  }

  /**
   * The request, if this caller may decide it now: of their bank (else 404), not their own (403),
   * pending and unexpired (409). Empty (with the answer sent) otherwise.
   */
  private Optional<io.vertx.core.Future<Optional<ChangeRequest>>> decidable(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("requestId"));
    } catch (NumberFormatException e) {
      Problems.notFound(ctx, "no change request " + ctx.pathParam("requestId"));
      return Optional.empty();
    }
    Caller caller = Requests.caller(ctx);
    Scope scope = Scope.of(caller);
    return Optional.of(
        fourEyes
            .requests()
            .find(id)
            .map(
                found -> {
                  Optional<ChangeRequest> visible = found.filter(r -> scope.sees(r.bank()));
                  if (visible.isEmpty()) {
                    Problems.notFound(ctx, "no change request " + id + " in your bank");
                    return Optional.empty();
                  }
                  ChangeRequest request = visible.get();
                  if (request.maker().equals(caller.subject())) {
                    Problems.forbidden(
                        ctx, "the maker of a change cannot also approve or reject it");
                    return Optional.empty();
                  }
                  String state = request.stateAt(Instant.now());
                  if (!state.equals("PENDING")) {
                    Problems.send(
                        ctx, 409, "request-decided", "Request decided", "the request is " + state);
                    return Optional.empty();
                  }
                  return visible;
                }));
  }

  private static void decidedMeanwhile(RoutingContext ctx) {
    Problems.send(
        ctx,
        409,
        "request-decided",
        "Request decided",
        "the request was decided or expired meanwhile");
  }
}
