package io.greenpledge.api;

import io.greenpledge.book.ChangeRequestRepository.ChangeRequest;
import io.greenpledge.book.DisposalRepository;
import io.greenpledge.book.PledgeRepository;
import io.greenpledge.calls.Disposal;
import io.greenpledge.calls.DisposalCase;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.valuation.Money;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.wire.DisposalJson;
import io.greenpledge.wire.Wire;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /api/v1/disposals}: the cases of escalated margin calls (a bank's own; the regulator's:
 * every bank's, open first) and their decisions: DISPOSE (the sale: quantity, price, proceeds,
 * date; the loan's recovery is recorded and the pledge released) or FORBEAR (reason, until when). A
 * decision needs a second risk-admin ({@code disposal.decide}) unless the bank's policy says
 * otherwise.
 */
final class DisposalApi {

  private final DisposalRepository cases;
  private final PledgeRepository pledges;
  private final PledgeApi pledgeApi;
  private final FourEyes fourEyes;

  DisposalApi(
      DisposalRepository cases, PledgeRepository pledges, PledgeApi pledgeApi, FourEyes fourEyes) {
    this.cases = cases;
    this.pledges = pledges;
    this.pledgeApi = pledgeApi;
    this.fourEyes = fourEyes;
  }

  void list(RoutingContext ctx) {
    Optional<DisposalCase.State> state;
    try {
      state = Optional.ofNullable(ctx.request().getParam("state")).map(DisposalCase.State::valueOf);
    } catch (IllegalArgumentException e) {
      Problems.badRequest(
          ctx, "state is one of " + java.util.Arrays.toString(DisposalCase.State.values()));
      return;
    }
    cases
        .list(Scope.of(Requests.caller(ctx)).bank(), state, Requests.intParam(ctx, "limit", 100))
        .onSuccess(
            found ->
                Requests.sendJson(
                    ctx, Wire.list(found.stream().map(DisposalJson::disposalCase).toList())))
        .onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    visible(ctx)
        .onSuccess(
            found -> found.ifPresent(c -> Requests.sendJson(ctx, DisposalJson.disposalCase(c))))
        .onFailure(ctx::fail);
  }

  void dispose(RoutingContext ctx) {
    decide(ctx, "DISPOSE");
  }

  void forbear(RoutingContext ctx) {
    decide(ctx, "FORBEAR");
  }

  /**
   * Checks the decision now (a bad one is a 400 before any checker sees it), then asks or applies.
   */
  private void decide(RoutingContext ctx, String decision) {
    JsonObject body = ctx.body().asJsonObject();
    visible(ctx)
        .compose(
            found ->
                found.isEmpty()
                    ? Future.succeededFuture()
                    : pledges
                        .find(found.get().pledgeId())
                        .map(
                            pledge -> {
                              DisposalCase c = found.get();
                              if (!c.decidable()) {
                                Problems.send(
                                    ctx,
                                    409,
                                    "case-decided",
                                    "Case decided",
                                    "the right was already disposed of");
                                return null;
                              }
                              JsonObject checked;
                              try {
                                checked = decision(decision, body, pledge.orElseThrow());
                              } catch (IllegalArgumentException | ClassCastException e) {
                                Problems.badRequest(ctx, e.getMessage());
                                return null;
                              }
                              fourEyes
                                  .required(c.bank())
                                  .onSuccess(
                                      required -> {
                                        if (required.contains(FourEyes.DISPOSAL_DECIDE)) {
                                          fourEyes.request(
                                              ctx,
                                              c.bank(),
                                              FourEyes.DISPOSAL_DECIDE,
                                              Long.toString(c.id()),
                                              body.copy()
                                                  .put("decision", decision)
                                                  .put("version", c.version()));
                                        } else {
                                          apply(ctx, c, pledge.get(), checked, Optional.empty());
                                        }
                                      })
                                  .onFailure(ctx::fail);
                              return null;
                            }))
        .onFailure(ctx::fail);
  }

  /**
   * Applies an approved decision: the approval, the decision and (for a sale) the pledge's release
   * are one transaction; a case decided or changed since the request answers 409 and the request
   * stays pending.
   */
  void applyChangeRequest(RoutingContext ctx, ChangeRequest request) {
    cases
        .find(Long.parseLong(request.entityId()))
        .compose(
            found -> {
              JsonObject payload = request.payload();
              if (found.isEmpty()
                  || !found.get().decidable()
                  || found.get().version() != payload.getLong("version")) {
                Problems.send(
                    ctx,
                    409,
                    "case-changed",
                    "Case changed meanwhile",
                    "the disposal case was decided or changed since the request");
                return Future.succeededFuture();
              }
              DisposalCase c = found.get();
              return pledges
                  .find(c.pledgeId())
                  .map(
                      pledge -> {
                        JsonObject checked;
                        try {
                          checked =
                              decision(
                                  payload.getString("decision"), payload, pledge.orElseThrow());
                        } catch (IllegalArgumentException e) {
                          Problems.badRequest(ctx, e.getMessage());
                          return null;
                        }
                        apply(
                            ctx,
                            c,
                            pledge.get(),
                            checked,
                            Optional.of(FourEyes.approval(ctx, request)));
                        return null;
                      });
            })
        .onFailure(ctx::fail);
  }

  private void apply(
      RoutingContext ctx,
      DisposalCase c,
      Pledge pledge,
      JsonObject decision,
      Optional<Function<SqlConnection, Future<Void>>> approval) {
    boolean sale = decision.getString("decision").equals("DISPOSE");
    Instant until = sale ? null : Instant.parse(decision.getString("until"));
    DisposalCase.State to = sale ? DisposalCase.State.DISPOSED : DisposalCase.State.FORBORNE;
    Function<SqlConnection, Future<Void>> record =
        connection ->
            FourEyes.approvedFirst(approval, connection)
                .compose(
                    v ->
                        DisposalRepository.decide(
                            connection, c, to, decision, until, Requests.actor(ctx), Instant.now()))
                .compose(
                    decided ->
                        decided.isPresent()
                            ? Future.<Void>succeededFuture()
                            : Future.failedFuture(new FourEyes.Decided()));
    Future<?> done =
        sale && pledge.active()
            ? pledgeApi.releaseAlongside(ctx, pledge, record)
            : cases.pool().withTransaction(record::apply);
    done.compose(v -> cases.find(c.id()))
        .onSuccess(found -> Requests.sendJson(ctx, DisposalJson.disposalCase(found.orElseThrow())))
        .onFailure(
            e -> {
              if (e instanceof IllegalStateException) {
                Problems.send(
                    ctx,
                    409,
                    "case-changed",
                    "Case changed meanwhile",
                    "the case or its pledge changed before this decision; reload it");
              } else {
                ctx.fail(e);
              }
            });
  }

  /** The decision as it will be stored, checked against the pledge. */
  private static JsonObject decision(String kind, JsonObject body, Pledge pledge) {
    if ("DISPOSE".equals(kind)) {
      return DisposalJson.sale(
          Disposal.sale(
              decimal(body, "quantity"),
              decimal(body, "price"),
              body.getValue("proceeds") == null ? null : decimal(body, "proceeds"),
              date(body.getString("soldOn")),
              BigDecimal.valueOf(pledge.quantity()),
              Money.ofCents(pledge.outstandingCents()),
              LocalDate.now(TradingCalendar.ZONE)));
    }
    Instant until;
    try {
      String text = body.getString("until");
      until = text == null ? null : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("until must be a time like 2027-03-31T15:00:00+08:00");
    }
    return DisposalJson.forbearance(
        Disposal.forbearance(body.getString("reason"), until, Instant.now()));
  }

  private static BigDecimal decimal(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException(field + " must be a number");
    }
    return new BigDecimal(value.toString());
  }

  private static LocalDate date(String text) {
    try {
      return text == null ? null : LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("soldOn must be a date like 2026-11-27");
    }
  }

  /** The case, if the caller's bank may see it; otherwise a 404 is sent. */
  private Future<Optional<DisposalCase>> visible(RoutingContext ctx) {
    return Requests.visible(ctx, "caseId", "disposal case", cases::find, DisposalCase::bank);
  }
}
