package io.greenpledge.valuation;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.LiquidityTier;
import java.time.Instant;
import java.time.LocalDate;

/** Values one pledge. Pure: the same inputs give the same valuation, bit for bit. */
public final class Valuer {

  private Valuer() {}

  public static Valuation value(Pledge pledge, Instrument instrument, MarketInputs market,
      CoverageStatus previous, LocalDate today, Instant asOf) {
    double termFactor = instrument.expiring() ? TermFactor.of(pledge.rightStart(), pledge.rightExpiry(), today) : 1.0;
    int horizon = Haircut.horizonDays(instrument.tier(), pledge.quantity(), market.adv20());
    return compute(pledge.id(), pledge.bank(), pledge.quantity(), pledge.outstanding(), pledge.lines(), termFactor,
        horizon, instrument.tier(), market, previous, asOf);
  }

  /**
   * The same position at another mark (a stress scenario): quantity, outstanding, lines, term and
   * horizon stay; no hysteresis, the status is where coverage alone puts it.
   */
  public static Valuation revalue(Valuation base, LiquidityTier tier, MarketInputs market) {
    return compute(base.pledgeId(), base.bank(), base.quantity(), base.outstanding(), base.lines(), base.termFactor(),
        base.horizonDays(), tier, market, null, base.valuedAt());
  }

  private static Valuation compute(String pledgeId, String bank, double quantity, double outstanding, Lines lines,
      double termFactor, int horizon, LiquidityTier tier, MarketInputs market, CoverageStatus previous, Instant asOf) {
    double haircut = Haircut.haircut(tier, market.sigma(), horizon);
    double marketValue = quantity * market.markPrice() * termFactor;
    double coverage = outstanding > 0 ? marketValue / outstanding : Double.POSITIVE_INFINITY;
    double ltv = marketValue > 0 ? outstanding / marketValue : (outstanding > 0 ? Double.POSITIVE_INFINITY : 0);
    CoverageStatus status = CoverageStatus.next(previous, coverage, lines);
    double topUp = Math.max(0, outstanding * lines.initialCoverage() - marketValue);
    double unitValue = market.markPrice() * termFactor;
    double topUpQuantity = topUp == 0 ? 0 : (unitValue > 0 ? topUp / unitValue : Double.NaN);
    return new Valuation(pledgeId, bank, quantity, marketValue, haircut, marketValue * (1 - haircut), outstanding, ltv,
        coverage, status, topUp, topUpQuantity, horizon, termFactor, lines, market, asOf);
  }
}
