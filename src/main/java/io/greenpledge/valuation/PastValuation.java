package io.greenpledge.valuation;

import io.greenpledge.market.DailyBar;
import io.greenpledge.market.Instrument;
import io.greenpledge.market.InstrumentMarket;
import io.greenpledge.market.Quote;
import io.greenpledge.market.Tick;
import io.greenpledge.market.TradingCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A pledge valued as of the end of a past day, with only what was known then: the daily bars up to
 * and including that day and the last trade before its end. The pledge's terms are today's (the
 * book keeps the current version; its own past valuations are in the valuation history), so this
 * answers "what would this collateral have been worth then". No hysteresis: the status is where
 * coverage alone puts it.
 */
public final class PastValuation {

  private PastValuation() {}

  /**
   * @param bars the instrument's daily bars up to and including {@code day}, oldest first
   * @param lastTick the last trade before the end of {@code day}, or null
   */
  public static Valuation value(
      Pledge pledge,
      Instrument instrument,
      TradingCalendar calendar,
      List<DailyBar> bars,
      Tick lastTick,
      LocalDate day) {
    Instant endOfDay = endOf(day);
    InstrumentMarket market = new InstrumentMarket(instrument, calendar);
    market.restore(bars.stream().filter(b -> !b.day().isAfter(day)).toList(), lastTick);
    Quote quote = market.quote(pledge.basis(), endOfDay);
    return Valuer.value(
        pledge, instrument, MarketInputs.of(quote, pledge.basis()), null, day, endOfDay);
  }

  /** The end of a trading day: the exchange's close, in Shanghai. */
  public static Instant endOf(LocalDate day) {
    return day.atTime(TradingCalendar.CLOSE).atZone(TradingCalendar.ZONE).toInstant();
  }
}
