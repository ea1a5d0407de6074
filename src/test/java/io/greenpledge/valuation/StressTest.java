package io.greenpledge.valuation;

import static io.greenpledge.valuation.Fixtures.NOW;
import static io.greenpledge.valuation.Fixtures.TODAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StressTest {

  private final Instruments catalog = Instruments.seed();
  private final Map<String, Quote> quotes =
      Map.of(
          "CEA", Fixtures.quote("CEA", 72.00, 0.02, 150_000),
          "CQEA", Fixtures.quote("CQEA", 30.00, 0.04, 5_000));

  private Valuation current(Pledge pledge) {
    Quote quote = quotes.get(pledge.instrument());
    return Valuer.value(
        pledge,
        catalog.find(pledge.instrument()).orElseThrow(),
        MarketInputs.of(quote, MarkBasis.LAST),
        null,
        TODAY,
        NOW);
  }

  @Test
  void aThirtyPercentFallPutsAPledgeIntoDisposalAndCountsItsTopUp() {
    // CEA 10,000 t against 450,000: coverage 1.6 today; at 72 × 0.7 = 50.40, MV 504,000 → 1.12 →
    // DISPOSAL.
    List<Pledge> pledges =
        List.of(
            Fixtures.pledge("A1", "DEMO-A", "CEA", 10_000, 450_000),
            Fixtures.pledge("B1", "DEMO-B", "CQEA", 10_000, 100_000));
    Stress.Result result =
        Stress.run(
            pledges.stream().map(this::current).toList(),
            quotes,
            catalog,
            new Stress.Scenario(Map.of("CEA", -0.30), 0));
    Stress.PledgeResult a1 = result.pledges().get(0);
    assertEquals(CoverageStatus.HEALTHY, a1.base().status());
    assertEquals(CoverageStatus.DISPOSAL, a1.stressed().status());
    assertEquals(1.12, a1.stressed().coverage(), 1e-12);
    Stress.BankResult bankA = result.banks().get(0);
    assertEquals("DEMO-A", bankA.bank());
    assertEquals(1, bankA.breaches());
    // topUp = 750,000 − 504,000 = 246,000.00 CNY
    assertEquals(24_600_000L, bankA.topUpCents());
    // CQEA is not shocked: DEMO-B keeps coverage 3.0 and no breach.
    Stress.BankResult bankB = result.banks().get(1);
    assertEquals(0, bankB.breaches());
    assertEquals(1, bankB.byStatus().get(CoverageStatus.HEALTHY));
  }

  @Test
  void aSigmaMultipleShocksEachInstrumentOverItsTierHorizon() {
    Stress.Result result = Stress.run(List.of(), quotes, catalog, new Stress.Scenario(Map.of(), 3));
    // CEA (T1, 5 days): exp(−3 × 0.02 × √5) − 1 = exp(−0.134164) − 1 = −0.125553
    assertEquals(-0.125553, result.shocks().get("CEA"), 1e-6);
    // CQEA (T3, 20 days): exp(−3 × 0.04 × √20) − 1 = exp(−0.536656) − 1 = 0.584700 − 1 = −0.415300
    assertEquals(-0.415300, result.shocks().get("CQEA"), 1e-6);
  }

  @Test
  void shocksOfMinusOneOrWorseAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Stress.Scenario(Map.of("CEA", -1.0), 0));
  }
}
