package io.greenpledge.api;

import io.greenpledge.book.ChangeRequestRepository.ChangeRequest;
import io.greenpledge.book.LimitsRepository;
import io.greenpledge.book.PledgeRepository;
import io.greenpledge.limits.Concentration;
import io.greenpledge.limits.Limits;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.wire.LimitsJson;
import io.greenpledge.wire.Wire;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code /api/v1/limits}: a bank's eligibility schedule and concentration limits (its risk-admins;
 * the regulator reads any bank's with {@code ?bank=}). A change is a four-eyes action ({@code
 * limits.change}) unless the bank's policy says otherwise. The answer lists the bank's live pledges
 * that the schedule no longer admits, with the rule each breaks.
 */
final class LimitsApi {

  /** Enough for any bank's book in one check; more are counted, not listed. */
  private static final int MAX_CHECKED = 100_000;

  private final Eligibility eligibility;
  private final PledgeRepository pledges;
  private final FourEyes fourEyes;
  private final io.greenpledge.engine.risk.ValuationBoard board;

  LimitsApi(
      Eligibility eligibility,
      PledgeRepository pledges,
      FourEyes fourEyes,
      io.greenpledge.engine.risk.ValuationBoard board) {
    this.eligibility = eligibility;
    this.pledges = pledges;
    this.fourEyes = fourEyes;
    this.board = board;
  }

  void get(RoutingContext ctx) {
    Optional<String> bank = Requests.bankInView(ctx, "limits");
    if (bank.isEmpty()) {
      return;
    }
    answer(ctx, bank.get()).onFailure(ctx::fail);
  }

  void put(RoutingContext ctx) {
    String bank = Scope.of(Requests.caller(ctx)).bank().orElseThrow();
    JsonObject body = ctx.body().asJsonObject();
    Limits wanted;
    try {
      wanted = LimitsJson.parse(body, Set.copyOf(eligibility.catalog().ids()));
    } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
      Problems.badRequest(ctx, e.getMessage());
      return;
    }
    JsonObject normalised = LimitsJson.json(wanted);
    Future.all(eligibility.repository().find(bank), fourEyes.required(bank))
        .onSuccess(
            both -> {
              Optional<LimitsRepository.Stored> current = both.resultAt(0);
              Set<String> required = both.resultAt(1);
              if (required.contains(FourEyes.LIMITS)) {
                fourEyes.request(
                    ctx,
                    bank,
                    FourEyes.LIMITS,
                    bank,
                    new JsonObject()
                        .put("limits", normalised)
                        .put("version", current.map(LimitsRepository.Stored::version).orElse(0L)));
                return;
              }
              apply(ctx, bank, normalised, current, Optional.empty());
            })
        .onFailure(ctx::fail);
  }

  /** An approved change: refused (409, the request stays pending) if the limits moved since. */
  void applyChangeRequest(RoutingContext ctx, ChangeRequest request) {
    eligibility
        .repository()
        .find(request.bank())
        .onSuccess(
            current -> {
              long version = current.map(LimitsRepository.Stored::version).orElse(0L);
              if (version != request.payload().getLong("version")) {
                Problems.send(
                    ctx,
                    409,
                    "limits-changed",
                    "Limits changed meanwhile",
                    "the bank's limits changed since the request; ask again");
                return;
              }
              apply(
                  ctx,
                  request.bank(),
                  request.payload().getJsonObject("limits"),
                  current,
                  Optional.of(FourEyes.approval(ctx, request)));
            })
        .onFailure(ctx::fail);
  }

  private void apply(
      RoutingContext ctx,
      String bank,
      JsonObject limits,
      Optional<LimitsRepository.Stored> current,
      Optional<Function<SqlConnection, Future<Void>>> approval) {
    JsonObject before =
        current.map(LimitsRepository.Stored::limits).orElse(LimitsJson.json(Limits.NONE));
    FourEyes.approvedWrite(
            eligibility.repository().pool(),
            approval,
            connection ->
                LimitsRepository.save(
                    connection, bank, limits, before, Requests.actor(ctx), Instant.now()))
        .compose(saved -> answer(ctx, bank))
        .onFailure(e -> FourEyes.failed(ctx, e));
  }

  /** The bank's limits now, and its live pledges the schedule does not admit. */
  private Future<Void> answer(RoutingContext ctx, String bank) {
    return Future.all(
            eligibility.repository().find(bank),
            eligibility.of(bank),
            pledges.list(Optional.of(bank), "", Optional.of(Pledge.State.ACTIVE), MAX_CHECKED))
        .map(
            all -> {
              Optional<LimitsRepository.Stored> stored = all.resultAt(0);
              Limits limits = all.resultAt(1);
              java.util.List<Pledge> book = all.resultAt(2);
              JsonArray ineligible = new JsonArray();
              java.util.List<Concentration.Holding> holdings = new java.util.ArrayList<>();
              for (Pledge p : book) {
                board.get(p.id()).ifPresent(v -> holdings.add(Concentration.Holding.of(p, v)));
                eligibility
                    .breach(limits, p)
                    .ifPresent(
                        b ->
                            ineligible.add(
                                new JsonObject()
                                    .put("pledgeId", p.id())
                                    .put("instrument", p.instrument())
                                    .put("rule", b.rule())
                                    .put("detail", b.detail())));
              }
              Requests.sendJson(
                  ctx,
                  new JsonObject()
                      .put("bank", bank)
                      .put("source", stored.isPresent() ? "BANK" : "NONE")
                      .put("limits", LimitsJson.json(limits))
                      .put("updatedAt", stored.map(s -> Wire.time(s.updatedAt())).orElse(null))
                      .put("updatedBy", stored.map(LimitsRepository.Stored::updatedBy).orElse(null))
                      .put("version", stored.map(LimitsRepository.Stored::version).orElse(0L))
                      .put("ineligible", ineligible)
                      .put(
                          "concentration",
                          LimitsJson.breaches(
                              Concentration.breaches(limits, holdings, eligibility.adv20()))));
              return null;
            });
  }
}
