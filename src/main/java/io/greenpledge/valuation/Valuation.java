package io.greenpledge.valuation;

import java.time.Instant;

/**
 * A pledge valued at one mark, with everything needed to replay it: {@code market} (the mark and
 * what is behind it), horizon, term factor and the pledge's lines.
 *
 * <pre>
 * MV = quantity × mark × termFactor        eligible = MV × (1 − H)
 * LTV = outstanding / MV                   coverage = MV / outstanding
 * topUp = max(0, outstanding × initialCoverage − MV), and as quantity at the mark
 * </pre>
 */
public record Valuation(
    String pledgeId,
    String bank,
    double quantity,
    double marketValue,
    double haircut,
    double eligibleValue,
    double outstanding,
    double ltv,
    double coverage,
    CoverageStatus status,
    double topUpAmount,
    double topUpQuantity,
    int horizonDays,
    double termFactor,
    Lines lines,
    MarketInputs market,
    Instant valuedAt) {

  public String instrument() {
    return market.instrument();
  }

  public double mark() {
    return market.markPrice();
  }

  public boolean stale() {
    return market.stale();
  }
}
