package io.greenpledge.wire;

import io.greenpledge.book.PledgeRepository;
import io.greenpledge.valuation.Money;
import io.greenpledge.valuation.Stress;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Bodies of the risk operations: the stress run and the registry's double pledges. */
public final class RiskJson {

  private RiskJson() {}

  /** {@code POST /api/v1/stress}: the per-bank totals and the worst pledges the run kept. */
  public static JsonObject stress(Stress.Result result) {
    JsonObject shocks = new JsonObject();
    result.shocks().forEach((instrument, shock) -> shocks.put(instrument, Wire.ratio(shock)));
    JsonArray banks = new JsonArray();
    for (Stress.BankResult bank : result.banks()) {
      JsonObject byStatus = new JsonObject();
      bank.byStatus().forEach((status, count) -> byStatus.put(status.name(), count));
      banks.add(
          new JsonObject()
              .put("bank", bank.bank())
              .put("pledges", bank.pledges())
              .put("byStatus", byStatus)
              .put("breaches", bank.breaches())
              .put("topUp", Money.ofCents(bank.topUpCents()))
              .put("marketValue", Money.ofCents(bank.marketValueCents()))
              .put("stressedMarketValue", Money.ofCents(bank.stressedMarketValueCents())));
    }
    JsonArray worst = new JsonArray();
    result
        .worst()
        .forEach(
            p ->
                worst.add(
                    new JsonObject()
                        .put("pledgeId", p.base().pledgeId())
                        .put("bank", p.base().bank())
                        .put("instrument", p.base().instrument())
                        .put("shock", Wire.ratio(p.shock()))
                        .put("mark", Wire.money(p.base().mark()))
                        .put("stressedMark", Wire.money(p.stressed().mark()))
                        .put("coverage", Wire.ratio(p.base().coverage()))
                        .put("stressedCoverage", Wire.ratio(p.stressed().coverage()))
                        .put("status", p.base().status().name())
                        .put("stressedStatus", p.stressed().status().name())
                        .put("marketValue", Wire.money(p.base().marketValue()))
                        .put("stressedMarketValue", Wire.money(p.stressed().marketValue()))
                        .put("topUp", Wire.money(p.stressed().topUpAmount()))));
    return new JsonObject()
        .put("shocks", shocks)
        .put("banks", banks)
        .put("pledges", worst)
        .put("truncated", result.stressed() > result.worst().size());
  }

  /** One certificate in several live pledges, for the regulator. */
  public static JsonObject conflict(PledgeRepository.Conflict c) {
    JsonArray pledges = new JsonArray();
    for (int i = 0; i < c.pledgeIds().size(); i++) {
      pledges.add(
          new JsonObject()
              .put("id", c.pledgeIds().get(i))
              .put("bank", c.banks().get(i))
              .put("instrument", c.instruments().get(i)));
    }
    return new JsonObject()
        .put("certificate", c.certificate())
        .put("since", c.since().toString())
        .put("pledges", pledges);
  }
}
