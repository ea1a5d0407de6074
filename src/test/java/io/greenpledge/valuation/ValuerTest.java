package io.greenpledge.valuation;

import static io.greenpledge.valuation.Fixtures.NOW;
import static io.greenpledge.valuation.Fixtures.TODAY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * The design's formulas on hand-worked positions, in the exact units they are served in: money in
 * fen, ratios in millionths, quantities in 1e-4 units. Every number is worked by hand beside its
 * assertion.
 */
class ValuerTest {

  private final Instruments catalog = Instruments.seed();

  private Valuation value(Pledge pledge, Quote quote) {
    Instrument instrument = catalog.find(pledge.instrument()).orElseThrow();
    return Valuer.value(
        pledge, instrument, MarketInputs.of(quote, pledge.basis()), null, TODAY, NOW);
  }

  private Valuation value(Pledge pledge, double last, double sigma, double adv20) {
    return value(pledge, Fixtures.quote(pledge.instrument(), last, sigma, adv20));
  }

  @Test
  void liquidCeaPositionIsHaircutAtTheT1Floor() {
    Valuation v =
        value(Fixtures.pledge("P1", "DEMO-A", "CEA", 10_000, 450_000), 72.00, 0.0175, 150_000);
    // T = max(5, ceil(10,000 / (0.2 × 150,000))) = max(5, 1) = 5 days
    assertEquals(5, v.horizonDays());
    // H = 2.326 × 0.0175 × √5 = 0.0910 → below the T1 floor → 0.300000
    assertEquals(300_000, v.haircutMicro());
    // MV = 10,000 × 72.00 = 720,000.00; eligible = 720,000.00 × 0.70 = 504,000.00
    assertEquals(72_000_000, v.marketValueFen());
    assertEquals(50_400_000, v.eligibleFen());
    // LTV = 450,000 / 720,000 = 0.625000; coverage = 1.600000 ≥ 1.40 → HEALTHY
    assertEquals(625_000, v.ltvMicro());
    assertEquals(1_600_000, v.coverageMicro());
    assertEquals(CoverageStatus.HEALTHY, v.status());
    // Healthy: nothing is due, whatever the initial line (450,000 / 0.6 = 750,000 > 720,000)
    assertEquals(0, v.topUpFen());
    assertEquals(0, v.topUpQuantityUnits());
    // next worse line: WARNING at 1.40, reached by a move of 1.40 / 1.60 − 1 = −0.125000
    assertEquals(CoverageStatus.WARNING, v.nextLine());
    assertEquals(-125_000, v.moveToNextLineMicro());
    assertEquals(TermFactor.ONE, v.termFactorMicro());
  }

  @Test
  void cashMarginCountsAtFullValueBesideTheRight() {
    Pledge pledge =
        Fixtures.withCash(Fixtures.pledge("P1", "DEMO-A", "CEA", 10_000, 500_000), 40_000_00L);
    Valuation v = value(pledge, 60.00, 0.0175, 150_000);
    // MV = 10,000 × 60.00 = 600,000.00; collateral C = MV + cash = 640,000.00
    assertEquals(60_000_000, v.marketValueFen());
    assertEquals(4_000_000, v.cashMarginFen());
    // eligible = 600,000.00 × (1 − 0.30) + 40,000.00 = 460,000.00: no haircut on cash
    assertEquals(46_000_000, v.eligibleFen());
    // coverage = 640,000 / 500,000 = 1.280000 (1.20 without the cash); LTV = 0.781250
    assertEquals(1_280_000, v.coverageMicro());
    assertEquals(781_250, v.ltvMicro());
    assertEquals(CoverageStatus.MARGIN_CALL, v.status());
    // topUp = 500,000 / 0.6 − 640,000 = 833,333.33 − 640,000.00 = 193,333.33;
    // as quantity 193,333.33 / 60.00 = 3,222.22216… → 3,222.2222 t
    assertEquals(19_333_333, v.topUpFen());
    assertEquals(32_222_222, v.topUpQuantityUnits());
    // DISPOSAL at 1.20: (1.20 × 500,000 − 40,000) / 600,000 = 0.9333333 → 0.933333 − 1
    assertEquals(CoverageStatus.DISPOSAL, v.nextLine());
    assertEquals(-66_667, v.moveToNextLineMicro());
  }

  @Test
  void noPriceMoveReachesALineTheCashAloneCovers() {
    Pledge pledge =
        Fixtures.withCash(Fixtures.pledge("P1", "DEMO-A", "CEA", 10_000, 500_000), 700_000_00L);
    Valuation v = value(pledge, 60.00, 0.0175, 150_000);
    // coverage = (600,000 + 700,000) / 500,000 = 2.6; the WARNING line needs 1.40 × 500,000 =
    // 700,000 of collateral, which the cash alone is: even a worthless right does not reach it
    assertEquals(CoverageStatus.HEALTHY, v.status());
    assertEquals(CoverageStatus.WARNING, v.nextLine());
    assertEquals(Valuation.UNDEFINED, v.moveToNextLineMicro());
  }

  @Test
  void thinCqeaPositionHasItsHorizonSetByAdv() {
    Valuation v =
        value(Fixtures.pledge("P2", "DEMO-A", "CQEA", 50_000, 1_100_000), 30.00, 0.04, 5_000);
    // T = max(20, ceil(50,000 / (0.2 × 5,000))) = max(20, 50) = 50 days
    assertEquals(50, v.horizonDays());
    // H = 2.326 × 0.04 × √50 + 0.05 (T3 add-on) = 0.657892 + 0.05 = 0.707892 (above the 0.50 floor)
    assertEquals(707_892, v.haircutMicro());
    // MV = 50,000 × 30.00 = 1,500,000.00; eligible = 1,500,000.00 × (1 − 0.707892) = 438,162.00
    assertEquals(150_000_000, v.marketValueFen());
    assertEquals(43_816_200, v.eligibleFen());
    // coverage = 1,500,000 / 1,100,000 = 1.363636; LTV = 0.733333: below 1.40, above 1.30 → WARNING
    assertEquals(1_363_636, v.coverageMicro());
    assertEquals(733_333, v.ltvMicro());
    assertEquals(CoverageStatus.WARNING, v.status());
    assertEquals(0, v.topUpFen(), "a warning is not a call: nothing due");
    // next line MARGIN_CALL 1.30: 1.30 × 1,100,000 / 1,500,000 = 0.9533333 → 0.953333 − 1
    assertEquals(CoverageStatus.MARGIN_CALL, v.nextLine());
    assertEquals(-46_667, v.moveToNextLineMicro());
  }

  @Test
  void expiringEmissionPermitLosesValueWithItsRemainingTerm() {
    Pledge permit =
        Fixtures.expiring(
            "P3", "CQ-SO2", 100, 300_000, LocalDate.of(2025, 1, 1), LocalDate.of(2030, 1, 1));
    Valuation v = value(permit, 6_100.00, 0.01, 64);
    // term 2025-01-01 → 2030-01-01 = 1,826 days; remaining from 2026-11-27 = 1,131 days: 0.6193866
    // → 0.619387
    assertEquals(619_387, v.termFactorMicro());
    // MV = 100 × 6,100.00 × 0.619387 = 377,826.07
    // (the served factor multiplies, not the unrounded one)
    assertEquals(37_782_607, v.marketValueFen());
    // T = max(20, ceil(100 / (0.2 × 64))) = max(20, 8) = 20; H = 2.326 × 0.01 × √20 + 0.05 = 0.154
    // → floor 0.50
    assertEquals(20, v.horizonDays());
    assertEquals(500_000, v.haircutMicro());
    // eligible = 377,826.07 × 0.5 = 188,913.035 → half-even → 188,913.04
    assertEquals(18_891_304, v.eligibleFen());
    // coverage = 377,826.07 / 300,000 = 1.2594202 → 1.259420: below 1.30, above 1.20 → MARGIN_CALL
    assertEquals(1_259_420, v.coverageMicro());
    assertEquals(CoverageStatus.MARGIN_CALL, v.status());
    // topUp = 300,000 / 0.6 − 377,826.07 = 500,000.00 − 377,826.07 = 122,173.93
    assertEquals(12_217_393, v.topUpFen());
    // as quantity: 122,173.93 / (6,100.00 × 0.619387) = 32.33605… → rounded up to 32.3361 t
    assertEquals(323_361, v.topUpQuantityUnits());
    // next line DISPOSAL 1.20: 1.20 × 300,000 / 377,826.07 = 0.9528190 → 0.952819 − 1
    assertEquals(CoverageStatus.DISPOSAL, v.nextLine());
    assertEquals(-47_181, v.moveToNextLineMicro());
  }

  @Test
  void aLargePositionHasNoCapOnItsHorizon() {
    // CCER (T2: horizon 10, floor 0.40, add-on 0.02), σ 0.02.
    // 50 × ADV20: 10,000 t against ADV20 200.
    Valuation fifty =
        value(Fixtures.pledge("P4", "DEMO-A", "CCER", 10_000, 100_000), 60.00, 0.02, 200);
    // T = max(10, ceil(10,000 / (0.2 × 200))) = 250; H = 2.326 × 0.02 × √250 + 0.02 = 0.735546 +
    // 0.02 = 0.755546
    assertEquals(250, fifty.horizonDays());
    assertEquals(755_546, fifty.haircutMicro());
    // 200 × ADV20 (the field case: ADV20 50): T = 1,000, no longer capped at 250;
    // H = 2.326 × 0.02 × √1,000 + 0.02 = 1.491 → the 0.95 cap (it was served as 0.7555)
    Valuation twoHundred =
        value(Fixtures.pledge("P5", "DEMO-A", "CCER", 10_000, 100_000), 60.00, 0.02, 50);
    assertEquals(1_000, twoHundred.horizonDays());
    assertEquals(950_000, twoHundred.haircutMicro());
  }

  @Test
  void noVolumeAtAllInTheWindowIsTheCap() {
    Valuation v = value(Fixtures.pledge("P6", "DEMO-A", "CQEA", 1_000, 10_000), 30.00, 0.04, 0);
    // ADV20 = 0: no horizon can be computed; H = 0.95, provenance says so (horizonDays null)
    assertEquals(Haircut.NO_VOLUME, v.horizonDays());
    assertEquals(950_000, v.haircutMicro());
  }

  @Test
  void aMarketSilentForTenTradingDaysWidensTheHaircutAndNeverRaisesTheMark() {
    // CQEA stale for 10 trading days: last 30.00, VWAP20 30.50; the pledge asks for LAST.
    Quote quiet = Fixtures.quote("CQEA", 30.00, 30.50, 0.04, 5_000, true, 10);
    Valuation v = value(Fixtures.pledge("P7", "DEMO-A", "CQEA", 50_000, 1_100_000), quiet);
    // a quiet market is marked at the conservative figure min(30.00, 30.50) = 30.00, basis
    // CONSERVATIVE
    assertEquals(3_000, v.market().markCents());
    assertEquals(MarkBasis.CONSERVATIVE, v.market().basis());
    // T = max(20, 50) + 10 stale days = 60;
    // H = 2.326 × 0.04 × √60 + 0.05 = 0.720685 + 0.05 = 0.770685
    assertEquals(60, v.horizonDays());
    assertEquals(770_685, v.haircutMicro());
  }

  @Test
  void moneyIsExactAtTheContractsExtremes() {
    // quantity 999,999,999.9999 t at 999,999.99 CNY: MV = 999,999,989,999,900.00 exactly, beyond a
    // double's 15-16 significant digits and beyond a 64-bit
    // product of the scaled factors (the BigDecimal path)
    Pledge huge = Fixtures.pledge("P8", "DEMO-A", "CEA", 999_999_999.9999, 500_000_000_000_000L);
    Valuation v = value(huge, 999_999.99, 0.0175, 150_000);
    BigDecimal expected =
        new BigDecimal("999999999.9999")
            .multiply(new BigDecimal("999999.99"))
            .setScale(2, RoundingMode.HALF_EVEN);
    assertEquals(new BigDecimal("999999989999900.00"), expected);
    assertEquals(expected, Exact.decimal(v.marketValueFen(), 2));
    // coverage = 999,999,989,999,900.00 / 500,000,000,000,000.00 = 1.99999998 → 2.000000
    assertEquals(2_000_000, v.coverageMicro());
    // T = ceil(999,999,999.9999 / (0.2 × 150,000)) = 33,334 days → H at the 0.95 cap;
    // eligible = MV × 0.05, exact: 49,999,999,499,995.00
    assertEquals(950_000, v.haircutMicro());
    assertEquals(new BigDecimal("49999999499995.00"), Exact.decimal(v.eligibleFen(), 2));
  }

  @Test
  void aBankCopyingTheServedLinesBackGetsTheSameTopUp() {
    // lines written as a bank writes them: initialLtv 0.6 exactly (质押率), not 1.666667
    Lines lines = new Lines(0.6, 1.40, 1.30, 1.20);
    assertEquals(600_000, lines.initialLtvMicro());
    // 1,000,000.00 outstanding / 0.6 = 1,666,666.666… → 1,666,666.67, once
    assertEquals(166_666_667, Exact.mulDiv(100_000_000, 1_000_000, lines.initialLtvMicro()));
  }
}
