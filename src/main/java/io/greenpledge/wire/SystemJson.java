package io.greenpledge.wire;

import io.greenpledge.limits.SystemExposure;
import io.greenpledge.valuation.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** The regulator's view of the system: exposure per instrument, borrowers shared by banks. */
public final class SystemJson {

  private SystemJson() {}

  public static JsonObject exposure(List<SystemExposure.InstrumentExposure> exposure, Instant at) {
    JsonArray items = new JsonArray();
    for (SystemExposure.InstrumentExposure e : exposure) {
      JsonArray banks = new JsonArray();
      e.banks()
          .forEach(
              b ->
                  banks.add(
                      new JsonObject()
                          .put("bank", b.bank())
                          .put("pledges", b.pledges())
                          .put("quantity", b.quantity())
                          .put("marketValue", Money.ofCents(b.marketValueFen()))
                          .put("share", b.share())));
      items.add(
          new JsonObject()
              .put("instrument", e.instrument())
              .put("pledges", e.pledges())
              .put("quantity", e.quantity())
              .put("marketValue", Money.ofCents(e.marketValueFen()))
              .put("eligibleValue", Money.ofCents(e.eligibleFen()))
              .put("outstanding", Money.ofCents(e.outstandingFen()))
              .put("adv20", e.adv20())
              .put("participation", SystemExposure.PARTICIPATION)
              .put("daysToLiquidate", e.daysToLiquidate())
              .put("banks", banks));
    }
    return new JsonObject().put("asOf", Wire.time(at)).put("items", items);
  }

  /**
   * Balances by category now and 30 and 90 days ago; growth = now / then − 1, 6 decimals (null when
   * nothing was pledged then).
   */
  public static JsonObject greenLoans(
      java.util.Map<String, Long> nowFen,
      java.util.Map<String, Integer> pledges,
      java.util.Map<String, java.math.BigDecimal> days30,
      java.util.Map<String, java.math.BigDecimal> days90,
      Instant at) {
    JsonArray items = new JsonArray();
    nowFen.forEach(
        (category, fen) -> {
          java.math.BigDecimal now = Money.ofCents(fen);
          java.math.BigDecimal then30 = days30.getOrDefault(category, java.math.BigDecimal.ZERO);
          java.math.BigDecimal then90 = days90.getOrDefault(category, java.math.BigDecimal.ZERO);
          items.add(
              new JsonObject()
                  .put("category", category)
                  .put("pledges", pledges.get(category))
                  .put("balance", now)
                  .put("balance30dAgo", then30.setScale(2))
                  .put("growth30d", growth(now, then30))
                  .put("balance90dAgo", then90.setScale(2))
                  .put("growth90d", growth(now, then90)));
        });
    return new JsonObject().put("asOf", Wire.time(at)).put("items", items);
  }

  private static java.math.BigDecimal growth(java.math.BigDecimal now, java.math.BigDecimal then) {
    return then.signum() == 0
        ? null
        : now.divide(then, 6, java.math.RoundingMode.HALF_EVEN).subtract(java.math.BigDecimal.ONE);
  }

  /** One borrower shared by banks, with each bank's part. */
  public record SharedBorrower(
      String code,
      String name,
      String group,
      List<BankPart> banks,
      long outstandingFen,
      long marketValueFen) {}

  public record BankPart(String bank, int pledges, long outstandingFen, long marketValueFen) {}

  public static JsonObject borrowers(List<SharedBorrower> borrowers, Instant at) {
    JsonArray items = new JsonArray();
    for (SharedBorrower b : borrowers) {
      JsonArray banks = new JsonArray();
      b.banks()
          .forEach(
              part ->
                  banks.add(
                      new JsonObject()
                          .put("bank", part.bank())
                          .put("pledges", part.pledges())
                          .put("outstanding", Money.ofCents(part.outstandingFen()))
                          .put("marketValue", Money.ofCents(part.marketValueFen()))));
      items.add(
          new JsonObject()
              .put("borrowerCode", b.code())
              .put("borrower", b.name())
              .put("borrowerGroup", b.group())
              .put("outstanding", Money.ofCents(b.outstandingFen()))
              .put("marketValue", Money.ofCents(b.marketValueFen()))
              .put("banks", banks));
    }
    return new JsonObject().put("asOf", Wire.time(at)).put("items", items);
  }
}
