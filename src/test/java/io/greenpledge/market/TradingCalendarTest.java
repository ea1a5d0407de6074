package io.greenpledge.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class TradingCalendarTest {

  private final TradingCalendar exchange = TradingCalendar.exchange();

  static Instant shanghai(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(TradingCalendar.ZONE).toInstant();
  }

  @Test
  void exchangeIsOpenOnlyInItsSessions() {
    assertTrue(exchange.isOpen(shanghai("2026-11-27T09:30:00"))); // Friday morning
    assertFalse(exchange.isOpen(shanghai("2026-11-27T12:00:00"))); // lunch break
    assertTrue(exchange.isOpen(shanghai("2026-11-27T14:59:59")));
    assertFalse(exchange.isOpen(shanghai("2026-11-27T15:00:00")));
    assertFalse(exchange.isOpen(shanghai("2026-11-28T10:00:00"))); // Saturday
  }

  @Test
  void tradingTimeSkipsNightsLunchAndWeekends() {
    // Friday 14:59 → Monday 09:31: one minute on Friday, one on Monday.
    assertEquals(
        Duration.ofMinutes(2),
        exchange.tradingTimeBetween(
            shanghai("2026-11-27T14:59:00"), shanghai("2026-11-30T09:31:00")));
    // 11:00 → 13:30 the same day: 30 min before lunch + 30 min after.
    assertEquals(
        Duration.ofMinutes(60),
        exchange.tradingTimeBetween(
            shanghai("2026-11-27T11:00:00"), shanghai("2026-11-27T13:30:00")));
  }

  @Test
  void alwaysOpenCountsWallTime() {
    TradingCalendar always = TradingCalendar.alwaysOpen();
    assertEquals(
        Duration.ofHours(50),
        always.tradingTimeBetween(
            shanghai("2026-11-27T14:00:00"), shanghai("2026-11-29T16:00:00")));
  }

  @Test
  void tradingDaysBackSkipsWeekends() {
    // Monday 30 Nov minus 1 trading day is Friday 27 Nov.
    assertEquals(
        LocalDate.of(2026, 11, 27), exchange.tradingDaysBack(LocalDate.of(2026, 11, 30), 1));
    assertEquals(
        LocalDate.of(2026, 11, 2), exchange.tradingDaysBack(LocalDate.of(2026, 11, 30), 20));
  }
}
