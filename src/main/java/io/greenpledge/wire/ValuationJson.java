package io.greenpledge.wire;

import io.greenpledge.market.Instrument;
import io.greenpledge.valuation.CoverageStatus;
import io.greenpledge.valuation.Haircut;
import io.greenpledge.valuation.Lines;
import io.greenpledge.valuation.MarketInputs;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.Valuation;
import io.vertx.core.json.JsonObject;

/** Pledges and valuations with the wire names of the design. */
public final class ValuationJson {

  private ValuationJson() {}

  public static JsonObject valuation(Valuation v, Instrument instrument) {
    return new JsonObject()
        .put("pledgeId", v.pledgeId())
        .put("bank", v.bank())
        .put("instrument", v.instrument())
        .put("quantity", Wire.quantity(v.quantity()))
        .put("mark", Wire.money(v.mark()))
        .put("marketValue", Wire.money(v.marketValue()))
        .put("haircut", Wire.ratio(v.haircut()))
        .put("eligibleValue", Wire.money(v.eligibleValue()))
        .put("outstanding", Wire.money(v.outstanding()))
        .put("ltv", Wire.ratio(v.ltv()))
        .put("coverage", Wire.ratio(v.coverage()))
        .put("status", v.status().name())
        .put("topUp", new JsonObject().put("amount", Wire.money(v.topUpAmount()))
            .put("quantity", Wire.ratio(v.topUpQuantity())))
        .put("stale", v.stale())
        .put("valuedAt", Wire.time(v.valuedAt()))
        .put("provenance", provenance(v, instrument));
  }

  private static JsonObject provenance(Valuation v, Instrument instrument) {
    MarketInputs m = v.market();
    return new JsonObject()
        .put("basis", m.basis().name())
        .put("markPrice", Wire.money(m.markPrice()))
        .put("lastTrade", Wire.money(m.lastTrade()))
        .put("vwap20", Wire.money(m.vwap20()))
        .put("vwapWindow", new JsonObject().put("from", String.valueOf(m.vwapFrom())).put("to", String.valueOf(m.vwapTo())))
        .put("sigma", Wire.ratio(m.sigma()))
        .put("horizonDays", v.horizonDays())
        .put("adv20", Wire.quantity(m.adv20()))
        .put("termFactor", Wire.ratio(v.termFactor()))
        .put("parameters", parameters(v.lines(), instrument))
        .put("ticks", m.tickSource() == null ? null : new JsonObject().put("source", m.tickSource())
            .put("seq", m.tickSeq()).put("ts", Wire.time(m.tickTs())));
  }

  private static JsonObject parameters(Lines lines, Instrument instrument) {
    return new JsonObject()
        .put("initialCoverage", Wire.ratio(lines.initialCoverage()))
        .put("warningLine", Wire.ratio(lines.warning()))
        .put("marginCallLine", Wire.ratio(lines.marginCall()))
        .put("disposalLine", Wire.ratio(lines.disposal()))
        .put("hysteresis", CoverageStatus.HYSTERESIS)
        .put("liquidityTier", instrument.tier().name())
        .put("tierHorizonDays", instrument.tier().horizonDays())
        .put("haircutFloor", instrument.tier().haircutFloor())
        .put("haircutAddOn", instrument.tier().haircutAddOn())
        .put("z", Haircut.Z_99)
        .put("participation", Haircut.PARTICIPATION)
        .put("ewmaLambda", io.greenpledge.market.Ewma.LAMBDA);
  }

  public static JsonObject pledge(Pledge p) {
    return new JsonObject()
        .put("id", p.id())
        .put("bank", p.bank())
        .put("borrower", p.borrower())
        .put("loanId", p.loanId())
        .put("instrument", p.instrument())
        .put("quantity", Wire.quantity(p.quantity()))
        .put("certificate", p.certificate())
        .put("rightStart", p.rightStart() == null ? null : p.rightStart().toString())
        .put("rightExpiry", p.rightExpiry() == null ? null : p.rightExpiry().toString())
        .put("outstanding", io.greenpledge.valuation.Money.ofCents(p.outstandingCents()))
        .put("lines", new JsonObject()
            .put("initialCoverage", Wire.ratio(p.lines().initialCoverage()))
            .put("warning", Wire.ratio(p.lines().warning()))
            .put("marginCall", Wire.ratio(p.lines().marginCall()))
            .put("disposal", Wire.ratio(p.lines().disposal())))
        .put("markBasis", p.basis().name())
        .put("state", p.state().name())
        .put("version", p.version())
        .put("createdAt", Wire.time(p.createdAt()))
        .put("updatedAt", Wire.time(p.updatedAt()));
  }
}
