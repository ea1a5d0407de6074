package io.greenpledge.valuation;

import static io.greenpledge.valuation.Fixtures.NOW;
import static io.greenpledge.valuation.Fixtures.TODAY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The design's formulas on three positions, every number worked by hand beside its assertion. */
class ValuerTest {

  private final Instruments catalog = Instruments.seed();

  private Valuation value(Pledge pledge, double last, double sigma, double adv20) {
    Instrument instrument = catalog.find(pledge.instrument()).orElseThrow();
    MarketInputs market = MarketInputs.of(Fixtures.quote(pledge.instrument(), last, sigma, adv20), MarkBasis.LAST);
    return Valuer.value(pledge, instrument, market, null, TODAY, NOW);
  }

  @Test
  void liquidCeaPositionIsHaircutAtTheT1Floor() {
    Valuation v = value(Fixtures.pledge("P1", "DEMO-A", "CEA", 10_000, 450_000), 72.00, 0.0175, 150_000);
    // T = max(5, ceil(10,000 / (0.2 × 150,000))) = max(5, 1) = 5 days
    assertEquals(5, v.horizonDays());
    // H = 2.326 × 0.0175 × √5 = 0.0910 → below the T1 floor → 0.30
    assertEquals(0.30, v.haircut(), 1e-12);
    // MV = 10,000 × 72.00 = 720,000; eligible = 720,000 × 0.70 = 504,000
    assertEquals(720_000.00, v.marketValue(), 1e-6);
    assertEquals(504_000.00, v.eligibleValue(), 1e-6);
    // LTV = 450,000 / 720,000 = 0.625; coverage = 1.6 ≥ 1.40 → HEALTHY
    assertEquals(0.625, v.ltv(), 1e-12);
    assertEquals(1.6, v.coverage(), 1e-12);
    assertEquals(CoverageStatus.HEALTHY, v.status());
    // topUp = 450,000 / 0.6 − 720,000 = 30,000 CNY = 416.67 t at 72.00
    assertEquals(30_000.00, v.topUpAmount(), 1e-6);
    assertEquals(416.666667, v.topUpQuantity(), 1e-6);
    assertEquals(1.0, v.termFactor());
  }

  @Test
  void thinCqeaPositionHasItsHorizonSetByAdv() {
    Valuation v = value(Fixtures.pledge("P2", "DEMO-A", "CQEA", 50_000, 1_100_000), 30.00, 0.04, 5_000);
    // T = max(20, ceil(50,000 / (0.2 × 5,000))) = max(20, 50) = 50 days
    assertEquals(50, v.horizonDays());
    // H = 2.326 × 0.04 × √50 + 0.05 (T3 add-on) = 0.657892 + 0.05 = 0.707892 (above the 0.50 floor)
    assertEquals(0.7078921, v.haircut(), 1e-7);
    // MV = 50,000 × 30 = 1,500,000; eligible = 1,500,000 × (1 − 0.707892) = 438,161.78
    assertEquals(1_500_000.00, v.marketValue(), 1e-6);
    assertEquals(438_161.78, Money.cents(v.eligibleValue()) / 100.0, 1e-9);
    // coverage = 1,500,000 / 1,100,000 = 1.363636: below 1.40, above 1.30 → WARNING
    assertEquals(1.363636, v.coverage(), 1e-6);
    assertEquals(0.733333, v.ltv(), 1e-6);
    assertEquals(CoverageStatus.WARNING, v.status());
    // topUp = 1,100,000 / 0.6 − 1,500,000 = 333,333.33 CNY = 11,111.11 t at 30.00
    assertEquals(333_333.33, Money.cents(v.topUpAmount()) / 100.0, 1e-9);
    assertEquals(11_111.111111, v.topUpQuantity(), 1e-6);
  }

  @Test
  void expiringEmissionPermitLosesValueWithItsRemainingTerm() {
    Pledge permit = Fixtures.expiring("P3", "CQ-SO2", 100, 300_000, LocalDate.of(2025, 1, 1), LocalDate.of(2030, 1, 1));
    Valuation v = value(permit, 6_100.00, 0.01, 64);
    // term 2025-01-01 → 2030-01-01 = 1,826 days; remaining from 2026-11-27 = 1,131 days; factor 0.619387
    assertEquals(1131.0 / 1826.0, v.termFactor(), 1e-15);
    // MV = 100 × 6,100 × 0.619387 = 377,825.85
    assertEquals(377_825.85, Money.cents(v.marketValue()) / 100.0, 1e-9);
    // T = max(20, ceil(100 / (0.2 × 64))) = max(20, 8) = 20; H = 2.326 × 0.01 × √20 + 0.05 = 0.154 → floor 0.50
    assertEquals(20, v.horizonDays());
    assertEquals(0.50, v.haircut(), 1e-12);
    assertEquals(188_912.92, Money.cents(v.eligibleValue()) / 100.0, 1e-9);
    // coverage = 377,825.85 / 300,000 = 1.259419: below 1.30, above 1.20 → MARGIN_CALL
    assertEquals(1.259419, v.coverage(), 1e-6);
    assertEquals(CoverageStatus.MARGIN_CALL, v.status());
    // topUp = 300,000 / 0.6 − 377,825.85 = 122,174.15 CNY = 32.34 t at 6,100 × 0.619387
    assertEquals(122_174.15, Money.cents(v.topUpAmount()) / 100.0, 1e-9);
    assertEquals(32.336102, v.topUpQuantity(), 1e-6);
  }

  @Test
  void anExpiredRightIsWorthNothingAndInDisposal() {
    Pledge permit = Fixtures.expiring("P4", "CQ-COD", 10, 50_000, LocalDate.of(2020, 1, 1), LocalDate.of(2026, 1, 1));
    Valuation v = value(permit, 9_000, 0.01, 50);
    assertEquals(0.0, v.marketValue());
    assertEquals(CoverageStatus.DISPOSAL, v.status());
  }

  @Test
  void aRepaidLoanIsHealthyWithZeroLtv() {
    Valuation v = value(Fixtures.pledge("P5", "DEMO-A", "CEA", 100, 0), 72, 0.0175, 150_000);
    assertEquals(0.0, v.ltv());
    assertEquals(CoverageStatus.HEALTHY, v.status());
    assertEquals(0.0, v.topUpAmount());
  }

  @Test
  void noVolumeAtAllMeansAYearToSellAndTheMaximumHaircut() {
    Valuation v = value(Fixtures.pledge("P6", "DEMO-A", "CQ-NH3N", 10, 50_000), 11_000, 0.03, 0);
    // T = 250 days; H = 2.326 × 0.03 × √250 + 0.05 = 1.153 → capped at 0.95
    assertEquals(250, v.horizonDays());
    assertEquals(0.95, v.haircut(), 1e-12);
  }
}
