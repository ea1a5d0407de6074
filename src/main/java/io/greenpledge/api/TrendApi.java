package io.greenpledge.api;

import io.greenpledge.book.ValuationRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /api/v1/portfolio/trend?date=}: a bank's book (the regulator: every bank's) at each
 * 15-minute snapshot of a trading day in Asia/Shanghai, summed from the stored valuations: what the
 * wall draws its coverage trend and its "change over today" from. Coverage of the book is (market
 * value + cash margin) / outstanding, rounded half-even to 6 decimals, from the served sums.
 */
final class TrendApi {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private final ValuationRepository history;

  TrendApi(ValuationRepository history) {
    this.history = history;
  }

  void trend(RoutingContext ctx) {
    Scope scope = Scope.of(Requests.caller(ctx));
    LocalDate today = LocalDate.now(SHANGHAI);
    LocalDate day;
    String asked = ctx.queryParams().get("date");
    try {
      day = asked == null ? today : LocalDate.parse(asked);
    } catch (DateTimeParseException e) {
      Problems.badRequest(ctx, "date is YYYY-MM-DD, got '" + asked + "'");
      return;
    }
    if (day.isAfter(today)) {
      Problems.badRequest(ctx, "date " + day + " is in the future (today is " + today + ")");
      return;
    }
    Instant from = day.atStartOfDay(SHANGHAI).toInstant();
    Instant to = day.plusDays(1).atStartOfDay(SHANGHAI).toInstant();
    history
        .trend(scope.bank(), from, to)
        .map(
            points -> {
              JsonArray items = new JsonArray();
              for (ValuationRepository.TrendPoint p : points) {
                items.add(
                    new JsonObject()
                        .put("at", p.at().toString())
                        .put("bank", p.bank())
                        .put("pledges", p.pledges())
                        .put("outstanding", p.outstanding())
                        .put("marketValue", p.marketValue())
                        .put("eligibleValue", p.eligibleValue())
                        .put("cashMargin", p.cashMargin())
                        .put("topUp", p.topUp())
                        .put(
                            "byStatus",
                            new JsonObject()
                                .put("HEALTHY", p.byStatus().get("HEALTHY"))
                                .put("WARNING", p.byStatus().get("WARNING"))
                                .put("MARGIN_CALL", p.byStatus().get("MARGIN_CALL"))
                                .put("DISPOSAL", p.byStatus().get("DISPOSAL")))
                        .put("coverage", coverage(p)));
              }
              return new JsonObject()
                  .put("date", day.toString())
                  .put("timeZone", SHANGHAI.getId())
                  .put("intervalMinutes", 15)
                  .put("items", items);
            })
        .onSuccess(json -> Requests.sendJson(ctx, json))
        .onFailure(ctx::fail);
  }

  /** (market value + cash margin) / outstanding, 6 decimals half-even; null without a loan. */
  static BigDecimal coverage(ValuationRepository.TrendPoint p) {
    if (p.outstanding().signum() == 0) {
      return null;
    }
    return p.marketValue().add(p.cashMargin()).divide(p.outstanding(), 6, RoundingMode.HALF_EVEN);
  }
}
