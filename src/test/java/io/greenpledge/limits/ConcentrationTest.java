package io.greenpledge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.greenpledge.limits.Concentration.Breach;
import io.greenpledge.limits.Concentration.Holding;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConcentrationTest {

  /**
   * A book of 1,000,000.00 eligible: CEA 600,000 (P1 X 400,000, P2 Y 200,000), CQEA 300,000 (P3 X,
   * group G), CQ-SO2 100,000 (P4 Z, group G).
   */
  private static final List<Holding> BOOK =
      List.of(
          new Holding("P1", "CEA", "X", null, 100_000_0000L, 400_000_00L),
          new Holding("P2", "CEA", "Y", null, 50_000_0000L, 200_000_00L),
          new Holding("P3", "CQEA", "X", "G", 10_000_0000L, 300_000_00L),
          new Holding("P4", "CQ-SO2", "Z", "G", 10_0000L, 100_000_00L));

  private static Limits limits(String instrument, String borrower, String group, String days) {
    return new Limits(
        Set.of(),
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        Optional.ofNullable(instrument).map(BigDecimal::new),
        Optional.ofNullable(borrower).map(BigDecimal::new),
        Optional.ofNullable(group).map(BigDecimal::new),
        Optional.ofNullable(days).map(BigDecimal::new),
        new BigDecimal("0.05"));
  }

  @Test
  void eachShareLimitNamesItsBucketFigureAndPledges() {
    // CEA 0.6 > 0.5; X: 700,000 / 1,000,000 = 0.7 > 0.5; G: 400,000 = 0.4 > 0.35
    List<Breach> breaches =
        Concentration.breaches(limits("0.5", "0.5", "0.35", null), BOOK, Map.of());
    assertEquals(
        List.of(
            "maxInstrumentShare CEA 0.600000 [P1, P2]",
            "maxBorrowerShare X 0.700000 [P1, P3]",
            "maxGroupShare G 0.400000 [P3, P4]"),
        breaches.stream()
            .map(b -> b.limit() + " " + b.key() + " " + b.figure() + " " + b.pledgeIds())
            .toList());
  }

  @Test
  void withinItsLimitsABookBreachesNothing() {
    assertEquals(
        List.of(), Concentration.breaches(limits("0.6", "0.7", "0.4", null), BOOK, Map.of()));
  }

  @Test
  void marketCapacityInDaysOfAdv() {
    // CEA 150,000 t / (0.2 × 100,000) = 7.50 days > 5; CQEA 10,000 / (0.2 × 10,000) = 5.00, not
    // over; CQ-SO2 traded nothing: no figure, a breach.
    List<Breach> breaches =
        Concentration.breaches(
            limits(null, null, null, "5"),
            BOOK,
            Map.of("CEA", new BigDecimal("100000"), "CQEA", new BigDecimal("10000")));
    assertEquals(2, breaches.size());
    assertEquals("CEA", breaches.get(0).key());
    assertEquals(new BigDecimal("7.50"), breaches.get(0).figure());
    assertEquals("CQ-SO2", breaches.get(1).key());
    assertNull(breaches.get(1).figure());
  }
}
