package io.greenpledge.valuation;

import static io.greenpledge.valuation.Fixtures.NOW;
import static io.greenpledge.valuation.Fixtures.TODAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.greenpledge.market.Instruments;
import io.greenpledge.market.MarkBasis;
import io.greenpledge.market.Quote;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
    // CEA 10,000 t against 450,000: coverage 1.6 today;
    // at 72 × 0.7 = 50.40, MV 504,000 → 1.12 → DISPOSAL.
    List<Pledge> pledges =
        List.of(
            Fixtures.pledge("A1", "DEMO-A", "CEA", 10_000, 450_000),
            Fixtures.pledge("B1", "DEMO-B", "CQEA", 10_000, 100_000));
    Stress.Result result =
        Stress.run(
            pledges.stream().map(this::current).toList(),
            quotes,
            catalog,
            new Stress.Scenario(Map.of("CEA", -0.30), 0),
            10);
    Stress.PledgeResult a1 = result.worst().get(0);
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
    Stress.Result result =
        Stress.run(List.of(), quotes, catalog, new Stress.Scenario(Map.of(), 3), 10);
    // CEA (T1, 5 days): exp(−3 × 0.02 × √5) − 1 = exp(−0.134164) − 1 = −0.125553
    assertEquals(-0.125553, result.shocks().get("CEA"), 1e-6);
    // CQEA (T3, 20 days): exp(−3 × 0.04 × √20) − 1 = exp(−0.536656) − 1 = 0.584700 − 1 = −0.415300
    assertEquals(-0.415300, result.shocks().get("CQEA"), 1e-6);
  }

  /**
   * The run keeps the worst positions as it goes (memory follows the limit, not the book): what it
   * keeps must be what sorting every stressed position and cutting the list would give, ties by
   * pledge id, and the bank totals must not depend on the limit.
   */
  @Test
  void theWorstKeptAreTheFirstOfEveryPositionSorted() {
    SplittableRandom random = new SplittableRandom(7);
    List<Valuation> book = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String instrument = i % 3 == 0 ? "CQEA" : "CEA";
      // a few outstanding amounts only, so that many positions tie on coverage; some owe nothing
      long outstanding = i % 17 == 0 ? 0 : 100_000 + 50_000 * random.nextInt(6);
      book.add(
          current(
              Fixtures.pledge(
                  "P" + random.nextInt(1_000_000),
                  i % 2 == 0 ? "DEMO-A" : "DEMO-B",
                  instrument,
                  5_000 + 2_500 * random.nextInt(4),
                  outstanding)));
    }
    Stress.Scenario scenario = new Stress.Scenario(Map.of("CEA", -0.25), 2);
    Stress.Result all = Stress.run(book, quotes, catalog, scenario, book.size());
    // independent of the run's selection: every position, sorted by stressed coverage, then id
    List<Stress.PledgeResult> sorted = new ArrayList<>(all.worst());
    sorted.sort(
        (a, b) -> {
          int byCoverage = Double.compare(a.stressed().coverage(), b.stressed().coverage());
          return byCoverage != 0 ? byCoverage : a.base().pledgeId().compareTo(b.base().pledgeId());
        });
    assertEquals(book.size(), all.worst().size());
    assertEquals(ids(sorted), ids(all.worst()));
    for (int limit : new int[] {0, 1, 7, 100, 399, 400, 5_000}) {
      Stress.Result cut = Stress.run(book, quotes, catalog, scenario, limit);
      assertEquals(ids(sorted.subList(0, Math.min(limit, sorted.size()))), ids(cut.worst()));
      assertEquals(book.size(), cut.stressed());
      assertEquals(all.banks(), cut.banks());
    }
  }

  private static List<String> ids(List<Stress.PledgeResult> results) {
    return results.stream().map(r -> r.base().pledgeId()).toList();
  }

  @Test
  void shocksOfMinusOneOrWorseAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Stress.Scenario(Map.of("CEA", -1.0), 0));
  }
}
