package io.greenpledge.api;

import io.greenpledge.alerts.AlertStore;
import io.greenpledge.book.PledgeRepository;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.engine.risk.ValuationBoard;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Quote;
import io.greenpledge.ops.OneAtATime;
import io.greenpledge.valuation.Stress;
import io.greenpledge.wire.AlertJson;
import io.greenpledge.wire.PortfolioJson;
import io.greenpledge.wire.RiskJson;
import io.greenpledge.wire.Wire;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Portfolio totals, stress, alerts and the regulator's conflict register. */
final class RiskApi {

  private final Vertx vertx;
  private final Instruments catalog;
  private final QuoteBoard quotes;
  private final ValuationBoard board;
  private final AlertStore alerts;
  private final PledgeRepository pledges;

  private final io.greenpledge.store.AuditLog audit;
  private final OneAtATime bookReads;

  /**
   * @param bookReads a caller's runs over the whole book (portfolio, stress): one at a time
   */
  RiskApi(
      Vertx vertx,
      Instruments catalog,
      QuoteBoard quotes,
      ValuationBoard board,
      AlertStore alerts,
      PledgeRepository pledges,
      io.greenpledge.store.AuditLog audit,
      OneAtATime bookReads) {
    this.audit = audit;
    this.bookReads = bookReads;
    this.vertx = vertx;
    this.catalog = catalog;
    this.quotes = quotes;
    this.board = board;
    this.alerts = alerts;
    this.pledges = pledges;
  }

  /** Aggregates off the event loop: a regulator's portfolio spans every pledge of every bank. */
  void getPortfolio(RoutingContext ctx) {
    Scope scope = Scope.of(Requests.caller(ctx));
    overBook(
        ctx,
        () ->
            vertx.executeBlocking(
                () -> PortfolioJson.of(board.seenBy(scope::sees), scope.bank(), Instant.now()),
                false));
  }

  /** Answers with what {@code work} makes of every pledge in scope, on a worker: one per caller. */
  private void overBook(RoutingContext ctx, Supplier<Future<JsonObject>> work) {
    Requests.sendOneAtATime(ctx, bookReads, BOOK_RUNS, work);
  }

  /** What the runs over the whole book are called in a 429's detail. */
  static final String BOOK_RUNS = "runs over the whole book (portfolio, stress, system figures)";

  void runStress(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    Stress.Scenario scenario;
    try {
      Map<String, Double> shocks = new HashMap<>();
      JsonObject given = body.getJsonObject("shocks", new JsonObject());
      for (String instrument : given.fieldNames()) {
        if (catalog.find(instrument).isEmpty()) {
          throw new IllegalArgumentException("shock for unknown instrument '" + instrument + "'");
        }
        shocks.put(instrument, given.getDouble(instrument));
      }
      scenario = new Stress.Scenario(shocks, body.getDouble("sigmaMultiple", 0.0));
    } catch (IllegalArgumentException | ClassCastException e) {
      Problems.badRequest(ctx, e.getMessage());
      return;
    }
    int limit = body.getInteger("limit", 100);
    Scope scope = Scope.of(Requests.caller(ctx));
    Map<String, Quote> current = new HashMap<>();
    quotes.all().forEach(q -> current.put(q.instrument(), q));
    overBook(
        ctx,
        () ->
            vertx.executeBlocking(
                () ->
                    RiskJson.stress(
                        Stress.run(board.seenBy(scope::sees), current, catalog, scenario, limit)),
                false));
  }

  void listAlerts(RoutingContext ctx) {
    Scope scope = Scope.of(Requests.caller(ctx));
    long after =
        Long.parseLong(java.util.Optional.ofNullable(ctx.request().getParam("after")).orElse("0"));
    int limit = Requests.intParam(ctx, "limit", 100);
    (scope.everyBank()
            ? alerts.sinceAll(after, limit)
            : alerts.since(scope.bank().get(), after, limit))
        .onSuccess(
            found -> {
              long next =
                  found.isEmpty()
                      ? after
                      : scope.everyBank()
                          ? found.get(found.size() - 1).id()
                          : found.get(found.size() - 1).seq();
              Requests.sendJson(
                  ctx, Wire.page(found.stream().map(AlertJson::alert).toList(), next));
            })
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET /api/v1/audit?after=&limit=}: a bank's risk-admin reads its bank's entries, the
   * regulator every entry (market-wide ones, such as imports, included).
   */
  void listAudit(RoutingContext ctx) {
    Scope scope = Scope.of(Requests.caller(ctx));
    long after =
        Long.parseLong(java.util.Optional.ofNullable(ctx.request().getParam("after")).orElse("0"));
    int limit = Requests.intParam(ctx, "limit", 100);
    audit
        .after(scope.bank(), after, limit)
        .onSuccess(
            entries ->
                Requests.sendJson(
                    ctx,
                    Wire.page(
                        entries.stream().map(io.greenpledge.wire.AuditJson::entry).toList(),
                        entries.isEmpty() ? after : entries.get(entries.size() - 1).id())))
        .onFailure(ctx::fail);
  }

  void listConflicts(RoutingContext ctx) {
    pledges
        .conflicts()
        .onSuccess(
            conflicts ->
                Requests.sendJson(
                    ctx, Wire.list(conflicts.stream().map(RiskJson::conflict).toList())))
        .onFailure(ctx::fail);
  }
}
