package io.greenpledge.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DisposalTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
  private static final BigDecimal PLEDGED = new BigDecimal("10000");

  @Test
  void proceedsRepayThePrincipalFirstAndTheRestIsShortfall() {
    // 8,000 t at 61.2345: 489,876.00 exactly; against 550,000.00 outstanding
    Disposal.Sale sale =
        Disposal.sale(
            new BigDecimal("8000"),
            new BigDecimal("61.2345"),
            null,
            TODAY,
            PLEDGED,
            new BigDecimal("550000.00"),
            TODAY);
    assertEquals(new BigDecimal("489876.00"), sale.proceeds());
    assertEquals(new BigDecimal("489876.00"), sale.recovery());
    assertEquals(new BigDecimal("60124.00"), sale.shortfall());
    assertEquals(new BigDecimal("0.00"), sale.surplus());
  }

  @Test
  void statedNetProceedsWinAndAnySurplusIsTheBorrowers() {
    // 10,000 × 57.505 = 575,050.00 gross; the bank states 574,900.55 net of fees
    Disposal.Sale sale =
        Disposal.sale(
            PLEDGED,
            new BigDecimal("57.505"),
            new BigDecimal("574900.55"),
            TODAY.minusDays(3),
            PLEDGED,
            new BigDecimal("500000.00"),
            TODAY);
    assertEquals(new BigDecimal("500000.00"), sale.recovery());
    assertEquals(new BigDecimal("0.00"), sale.shortfall());
    assertEquals(new BigDecimal("74900.55"), sale.surplus());
  }

  @Test
  void grossProceedsAreRoundedOnceHalfEven() {
    // 1 × 0.005 = 0.005 → 0.00 (half-even), 3 × 0.005 = 0.015 → 0.02
    assertEquals(
        new BigDecimal("0.00"),
        Disposal.sale(
                BigDecimal.ONE,
                new BigDecimal("0.005"),
                null,
                TODAY,
                PLEDGED,
                BigDecimal.TEN,
                TODAY)
            .proceeds());
    assertEquals(
        new BigDecimal("0.02"),
        Disposal.sale(
                new BigDecimal("3"),
                new BigDecimal("0.005"),
                null,
                TODAY,
                PLEDGED,
                BigDecimal.TEN,
                TODAY)
            .proceeds());
  }

  @Test
  void aSaleThatCannotBeTrueIsRefusedNamingTheField() {
    BigDecimal out = new BigDecimal("1000.00");
    assertMessage(
        "quantity",
        () ->
            Disposal.sale(
                new BigDecimal("10001"), BigDecimal.TEN, null, TODAY, PLEDGED, out, TODAY));
    assertMessage(
        "quantity",
        () ->
            Disposal.sale(
                new BigDecimal("0.00001"), BigDecimal.TEN, null, TODAY, PLEDGED, out, TODAY));
    assertMessage(
        "price",
        () -> Disposal.sale(BigDecimal.ONE, BigDecimal.ZERO, null, TODAY, PLEDGED, out, TODAY));
    assertMessage(
        "soldOn",
        () ->
            Disposal.sale(
                BigDecimal.ONE, BigDecimal.TEN, null, TODAY.plusDays(1), PLEDGED, out, TODAY));
    assertMessage(
        "proceeds",
        () ->
            Disposal.sale(
                BigDecimal.ONE,
                BigDecimal.TEN,
                new BigDecimal("1.001"),
                TODAY,
                PLEDGED,
                out,
                TODAY));
  }

  @Test
  void aForbearanceNeedsAReasonAndAnEndWithinAYear() {
    Instant now = Instant.parse("2026-11-27T02:00:00Z");
    assertEquals(
        "harvest income",
        Disposal.forbearance(" harvest income ", now.plus(Duration.ofDays(90)), now).reason());
    assertMessage("reason", () -> Disposal.forbearance(" ", now.plusSeconds(60), now));
    assertMessage("until", () -> Disposal.forbearance("x", now, now));
    assertMessage("366 days", () -> Disposal.forbearance("x", now.plus(Duration.ofDays(367)), now));
  }

  private static void assertMessage(
      String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
