package io.greenpledge.api;

import io.greenpledge.book.ChangeRequestRepository;
import io.greenpledge.book.PolicyRepository;
import io.greenpledge.wire.ChangeRequestJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Maker–checker: the actions that need a second risk-admin of the same bank ({@code GP_FOUR_EYES})
 * are not applied when asked; they become a change request (answered 202) that another risk-admin
 * approves (then it is applied) or rejects, before it expires ({@code GP_CHANGE_REQUEST_TTL}).
 */
final class FourEyes {

  /** Changing a pledge's lines or initial LTV. */
  static final String PLEDGE_LINES = "pledge.lines";

  /** Releasing a pledge that has a live margin call. */
  static final String PLEDGE_RELEASE = "pledge.release-with-call";

  /** Pledging fewer units than before. */
  static final String PLEDGE_QUANTITY_DOWN = "pledge.quantity-down";

  /** Taking back cash margin the borrower posted. */
  static final String PLEDGE_CASH_DOWN = "pledge.cash-margin-down";

  /** Closing a margin call that still asks something of the borrower. */
  static final String CALL_CANCEL = "call.cancel";

  /** Deciding a disposal case: selling the pledged right, or forbearing. */
  static final String DISPOSAL_DECIDE = "disposal.decide";

  /** Changing a bank's eligibility schedule or concentration limits. */
  static final String LIMITS = "limits.change";

  /** Relaxing a bank's policy: always needs a second risk-admin, whatever the policy says. */
  static final String POLICY = "policy.four-eyes";

  private final ChangeRequestRepository requests;
  private final PolicyRepository policies;
  private final Set<String> defaults;
  private final Duration ttl;

  /**
   * @param defaults the gateway's default ({@code GP_FOUR_EYES}), for banks without a policy
   */
  FourEyes(
      ChangeRequestRepository requests,
      PolicyRepository policies,
      Set<String> defaults,
      Duration ttl) {
    this.requests = requests;
    this.policies = policies;
    this.defaults = defaults;
    this.ttl = ttl;
  }

  /**
   * The actions that need a second risk-admin at this bank now: its own policy, else the default.
   * Read at each write (writes are rare; every replica sees a change at once).
   */
  Future<Set<String>> required(String bank) {
    return policies
        .find(bank)
        .map(policy -> policy.map(PolicyRepository.Policy::fourEyes).orElse(defaults));
  }

  Set<String> defaults() {
    return defaults;
  }

  PolicyRepository policies() {
    return policies;
  }

  ChangeRequestRepository requests() {
    return requests;
  }

  /**
   * The checker's approval of {@code request}, to run first in the transaction that applies it: it
   * fails with "decided" when the request was decided or expired meanwhile, undoing the change.
   */
  static java.util.function.Function<io.vertx.sqlclient.SqlConnection, io.vertx.core.Future<Void>>
      approval(RoutingContext ctx, ChangeRequestRepository.ChangeRequest request) {
    return connection ->
        ChangeRequestRepository.decide(
                connection, request.id(), "APPROVED", Requests.actor(ctx), null, Instant.now())
            .compose(
                decided ->
                    decided.isPresent()
                        ? io.vertx.core.Future.<Void>succeededFuture()
                        : io.vertx.core.Future.failedFuture(new Decided()));
  }

  /** The request was decided or expired before its approval could apply it. */
  static final class Decided extends IllegalStateException {
    Decided() {
      super("decided");
    }
  }

  /**
   * A four-eyes write in one transaction of {@code pool}: the approval first (if the change was
   * asked under four-eyes), then {@code write}; a request decided meanwhile undoes both.
   */
  static <T> io.vertx.core.Future<T> approvedWrite(
      io.vertx.sqlclient.Pool pool,
      java.util.Optional<
              java.util.function.Function<
                  io.vertx.sqlclient.SqlConnection, io.vertx.core.Future<Void>>>
          approval,
      java.util.function.Function<io.vertx.sqlclient.SqlConnection, io.vertx.core.Future<T>>
          write) {
    return pool.withTransaction(
        connection -> approvedFirst(approval, connection).compose(v -> write.apply(connection)));
  }

  /** A failed four-eyes write: 409 when the request was decided meanwhile, else the failure. */
  static void failed(RoutingContext ctx, Throwable e) {
    if (e instanceof Decided) {
      Problems.send(ctx, 409, "request-decided", "Request decided", "decided or expired meanwhile");
    } else {
      ctx.fail(e);
    }
  }

  /** Runs the approval (if the change was asked under four-eyes) first in {@code connection}. */
  static io.vertx.core.Future<Void> approvedFirst(
      java.util.Optional<
              java.util.function.Function<
                  io.vertx.sqlclient.SqlConnection, io.vertx.core.Future<Void>>>
          approval,
      io.vertx.sqlclient.SqlConnection connection) {
    return approval.map(a -> a.apply(connection)).orElse(io.vertx.core.Future.succeededFuture());
  }

  /** Desks on the change-requests channel (on every node) hear of a request made or decided. */
  static void told(RoutingContext ctx, ChangeRequestRepository.ChangeRequest request) {
    io.greenpledge.engine.Bus.CLUSTER_CHANGE_REQUESTS.publish(
        ctx.vertx(),
        new JsonObject()
            .put("bank", request.bank())
            .put("request", ChangeRequestJson.request(request, Instant.now())));
  }

  /** Records the change as a request of the caller and answers 202 with it. */
  void request(
      RoutingContext ctx, String bank, String action, String entityId, JsonObject payload) {
    Instant now = Instant.now();
    requests
        .create(bank, action, entityId, payload, Requests.actor(ctx), now, now.plus(ttl))
        .onSuccess(
            request -> {
              told(ctx, request);
              ctx.response()
                  .setStatusCode(202)
                  .putHeader("Location", "/api/v1/change-requests/" + request.id());
              Requests.sendJson(ctx, ChangeRequestJson.request(request, now));
            })
        .onFailure(ctx::fail);
  }
}
