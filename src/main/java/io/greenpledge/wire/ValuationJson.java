package io.greenpledge.wire;

import io.greenpledge.market.Instrument;
import io.greenpledge.valuation.CoverageStatus;
import io.greenpledge.valuation.Exact;
import io.greenpledge.valuation.Haircut;
import io.greenpledge.valuation.Lines;
import io.greenpledge.valuation.MarketInputs;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.Valuation;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** Pledges and valuations with the wire names of the design. */
public final class ValuationJson {

  private ValuationJson() {}

  /**
   * Every number exactly as the engine used it, so a bank can recompute each one from these fields
   * (the formulas are in {@link Valuation}): money with 2 decimals, ratios with 6, quantities with
   * up to 4, σ with 8.
   */
  public static JsonObject valuation(Valuation v, Instrument instrument) {
    return new JsonObject()
        .put("pledgeId", v.pledgeId())
        .put("bank", v.bank())
        .put("instrument", v.instrument())
        .put("quantity", Wire.plain(Exact.decimal(v.quantityUnits(), 4)))
        .put("mark", Exact.decimal(v.market().markCents(), 2))
        .put("marketValue", Exact.decimal(v.marketValueFen(), 2))
        .put("haircut", Exact.decimal(v.haircutMicro(), 6))
        .put("eligibleValue", Exact.decimal(v.eligibleFen(), 2))
        .put("outstanding", Exact.decimal(v.outstandingFen(), 2))
        .put("cashMargin", Exact.decimal(v.cashMarginFen(), 2))
        .put("ltv", micro(v.ltvMicro()))
        .put("coverage", micro(v.coverageMicro()))
        .put("status", v.status().name())
        .put(
            "topUp",
            new JsonObject()
                .put("amount", Exact.decimal(v.topUpFen(), 2))
                .put(
                    "quantity",
                    v.topUpQuantityUnits() == Valuation.UNDEFINED
                        ? null
                        : Wire.plain(Exact.decimal(v.topUpQuantityUnits(), 4))))
        .put("stale", v.stale())
        .put("valuedAt", Wire.time(v.valuedAt()))
        .put("provenance", provenance(v, instrument))
        .put(
            "distanceToNextLine",
            v.nextLine() == null
                ? null
                : new JsonObject()
                    .put("status", v.nextLine().name())
                    .put("line", Exact.decimal(v.nextLine().lineMicro(v.lines()), 6))
                    .put("priceMove", micro(v.moveToNextLineMicro())));
  }

  private static BigDecimal micro(long value) {
    return value == Valuation.UNDEFINED ? null : Exact.decimal(value, 6);
  }

  private static JsonObject provenance(Valuation v, Instrument instrument) {
    MarketInputs m = v.market();
    return new JsonObject()
        .put("basis", m.basis().name())
        .put("markPrice", Exact.decimal(m.markCents(), 2))
        .put("lastTrade", Wire.decimal(m.lastTrade(), 4))
        .put("vwap20", Wire.decimal(m.vwap20(), 4))
        .put(
            "vwapWindow",
            new JsonObject()
                .put("from", String.valueOf(m.vwapFrom()))
                .put("to", String.valueOf(m.vwapTo())))
        .put("sigma", Wire.decimal(m.sigma(), 8))
        .put("sigmaBasis", m.sigmaBasis().name())
        .put("horizonDays", v.horizonDays() == Haircut.NO_VOLUME ? null : v.horizonDays())
        .put("adv20", Wire.decimal(m.adv20(), 6))
        .put("termFactor", Exact.decimal(v.termFactorMicro(), 6))
        .put("staleDays", m.staleDays())
        .put("parameters", parameters(v.lines(), instrument))
        .put("modelHaircut", Exact.decimal(v.modelHaircutMicro(), 6))
        .put("bankHaircutFloor", Exact.decimal(v.bankTerms().floorMicro(), 6))
        .put("concentrationAddOn", Exact.decimal(v.bankTerms().addOnMicro(), 6))
        .put(
            "ticks",
            m.tickSource() == null
                ? null
                : new JsonObject()
                    .put("source", m.tickSource())
                    .put("seq", m.tickSeq())
                    .put("ts", Wire.time(m.tickTs())));
  }

  private static JsonObject parameters(Lines lines, Instrument instrument) {
    return new JsonObject()
        .put("initialLtv", Wire.plain(Exact.decimal(lines.initialLtvMicro(), 6)))
        .put("warningLine", Exact.decimal(lines.warningMicro(), 6))
        .put("marginCallLine", Exact.decimal(lines.marginCallMicro(), 6))
        .put("disposalLine", Exact.decimal(lines.disposalMicro(), 6))
        .put("hysteresis", CoverageStatus.HYSTERESIS)
        .put("liquidityTier", instrument.tier().name())
        .put("tierHorizonDays", instrument.tier().horizonDays())
        .put("haircutFloor", instrument.tier().haircutFloor())
        .put("haircutAddOn", instrument.tier().haircutAddOn())
        .put("maxHaircut", Haircut.MAX_HAIRCUT)
        .put("z", Haircut.Z_99)
        .put("participation", Haircut.PARTICIPATION)
        .put("ewmaLambda", io.greenpledge.market.Ewma.LAMBDA)
        .put("sigmaPrior", instrument.defaultSigma());
  }

  /** {@code GET /api/v1/pledges/{id}/valuations}: the stored valuations, oldest first. */
  public static JsonObject history(
      String pledgeId,
      java.util.List<io.greenpledge.book.ValuationRepository.HistoryEntry> entries) {
    io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
    entries.forEach(
        e -> items.add(new JsonObject().put("reason", e.reason()).put("valuation", e.valuation())));
    return new JsonObject().put("pledgeId", pledgeId).put("items", items);
  }

  /** Certificates added to a pledge (more units pledged), oldest first. */
  public static io.vertx.core.json.JsonArray added(
      java.util.List<io.greenpledge.book.PledgeRepository.AddedCertificate> added) {
    io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
    added.forEach(
        a ->
            items.add(
                new JsonObject()
                    .put("certificate", a.certificate())
                    .put("quantity", Wire.plain(a.quantity()))
                    .put("addedAt", Wire.time(a.addedAt()))));
    return items;
  }

  public static JsonObject pledge(Pledge p) {
    return new JsonObject()
        .put("id", p.id())
        .put("bank", p.bank())
        .put("borrower", p.borrower())
        .put("borrowerCode", p.borrowerCode())
        .put("borrowerGroup", p.borrowerGroup())
        .put("loanId", p.loanId())
        .put("instrument", p.instrument())
        .put("quantity", Wire.quantity(p.quantity()))
        .put("certificate", p.certificate())
        .put("rightStart", p.rightStart() == null ? null : p.rightStart().toString())
        .put("rightExpiry", p.rightExpiry() == null ? null : p.rightExpiry().toString())
        .put("outstanding", io.greenpledge.valuation.Money.ofCents(p.outstandingCents()))
        .put("cashMargin", io.greenpledge.valuation.Money.ofCents(p.cashMarginCents()))
        .put(
            "lines",
            new JsonObject()
                .put("initialLtv", Wire.plain(Exact.decimal(p.lines().initialLtvMicro(), 6)))
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
