package io.greenpledge.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LimitsTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);

  private static Limits schedule(Set<String> instruments, Integer minDays, String advMultiple) {
    return new Limits(
        instruments,
        Optional.ofNullable(minDays),
        Optional.ofNullable(advMultiple).map(BigDecimal::new),
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        BigDecimal.ZERO);
  }

  @Test
  void noLimitsAdmitEverything() {
    assertTrue(
        Limits.NONE
            .eligibility("CQ-SO2", new BigDecimal("1e9"), TODAY.plusDays(1), TODAY, BigDecimal.ZERO)
            .isEmpty());
  }

  @Test
  void theFirstRuleBrokenIsNamed() {
    Limits limits = schedule(Set.of("CEA", "CQ-SO2"), 730, "2");
    BigDecimal adv = new BigDecimal("150000");
    assertEquals(
        "eligibleInstruments",
        limits.eligibility("CCER", BigDecimal.ONE, null, TODAY, adv).orElseThrow().rule());
    // 729 days left of a right that needs 730
    assertEquals(
        "minRemainingDays",
        limits
            .eligibility("CQ-SO2", BigDecimal.ONE, TODAY.plusDays(729), TODAY, adv)
            .orElseThrow()
            .rule());
    assertTrue(
        limits.eligibility("CQ-SO2", BigDecimal.ONE, TODAY.plusDays(730), TODAY, adv).isEmpty());
    // 2 × 150,000 = 300,000 is the most: 300,000 passes, 300,000.0001 does not
    assertTrue(limits.eligibility("CEA", new BigDecimal("300000"), null, TODAY, adv).isEmpty());
    assertEquals(
        "maxAdvMultiple",
        limits
            .eligibility("CEA", new BigDecimal("300000.0001"), null, TODAY, adv)
            .orElseThrow()
            .rule());
  }

  @Test
  void impossibleLimitsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Limits(
                Set.of(),
                Optional.empty(),
                Optional.empty(),
                Map.of("CEA", new BigDecimal("0.96")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                BigDecimal.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Limits(
                Set.of(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Optional.of(new BigDecimal("1.5")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                BigDecimal.ZERO));
    assertThrows(IllegalArgumentException.class, () -> schedule(Set.of(), -1, null));
  }
}
