package io.greenpledge.valuation;

import io.greenpledge.market.Instrument;
import java.time.Instant;
import java.time.LocalDate;

/** Values one pledge. Pure: the same inputs give the same valuation, bit for bit. */
public final class Valuer {

  private Valuer() {}

  public static Valuation value(Pledge pledge, Instrument instrument, MarketInputs market,
      CoverageStatus previous, LocalDate today, Instant asOf) {
    double termFactor = instrument.expiring() ? TermFactor.of(pledge.rightStart(), pledge.rightExpiry(), today) : 1.0;
    int horizon = Haircut.horizonDays(instrument.tier(), pledge.quantity(), market.adv20());
    double haircut = Haircut.haircut(instrument.tier(), market.sigma(), horizon);
    double marketValue = pledge.quantity() * market.markPrice() * termFactor;
    double outstanding = pledge.outstanding();
    double coverage = outstanding > 0 ? marketValue / outstanding : Double.POSITIVE_INFINITY;
    double ltv = marketValue > 0 ? outstanding / marketValue : (outstanding > 0 ? Double.POSITIVE_INFINITY : 0);
    CoverageStatus status = CoverageStatus.next(previous, coverage, pledge.lines());
    double topUp = Math.max(0, outstanding * pledge.lines().initialCoverage() - marketValue);
    double unitValue = market.markPrice() * termFactor;
    double topUpQuantity = topUp == 0 ? 0 : (unitValue > 0 ? topUp / unitValue : Double.NaN);
    return new Valuation(pledge.id(), pledge.bank(), pledge.quantity(), marketValue, haircut,
        marketValue * (1 - haircut), outstanding, ltv, coverage, status, topUp, topUpQuantity, horizon, termFactor,
        pledge.lines(), market, asOf);
  }
}
