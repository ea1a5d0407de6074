package io.greenpledge.market;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/** The rules a tick must pass before it may move a price. Pure: state is passed in. */
public final class TickValidator {

  private final Duration maxFutureSkew;
  private final TradingCalendar calendar;

  public TickValidator(Duration maxFutureSkew, TradingCalendar calendar) {
    this.maxFutureSkew = maxFutureSkew;
    this.calendar = calendar;
  }

  /**
   * @param market    the instrument's market, or null when the instrument is unknown
   * @param lastSeq   the last accepted seq of the tick's source, or null for a new source
   */
  public Optional<RejectReason> check(Tick tick, InstrumentMarket market, Long lastSeq, Instant now) {
    if (market == null) {
      return Optional.of(RejectReason.UNKNOWN_INSTRUMENT);
    }
    if (!(tick.price() > 0) || Double.isInfinite(tick.price())) {
      return Optional.of(RejectReason.INVALID_PRICE);
    }
    if (!(tick.quantity() > 0) || Double.isInfinite(tick.quantity())) {
      return Optional.of(RejectReason.INVALID_QUANTITY);
    }
    if (tick.ts().isAfter(now.plus(maxFutureSkew))) {
      return Optional.of(RejectReason.FUTURE_TIMESTAMP);
    }
    if (lastSeq != null && tick.seq() <= lastSeq) {
      return Optional.of(tick.seq() == lastSeq ? RejectReason.DUPLICATE : RejectReason.OUT_OF_ORDER);
    }
    LocalDate day = calendar.tradingDay(tick.ts());
    LocalDate current = market.currentDay();
    if (current != null && day.isBefore(current)) {
      return Optional.of(RejectReason.LATE_TIMESTAMP);
    }
    return outsideBand(tick, market.instrument(), market.previousClose(day))
        ? Optional.of(RejectReason.OUTSIDE_LIMIT_BAND)
        : Optional.empty();
  }

  /** Half a tick of tolerance: limit prices are rounded to the tick grid by the exchange. */
  private static boolean outsideBand(Tick tick, Instrument instrument, double previousClose) {
    double tolerance = instrument.tickSize() / 2;
    double lower = previousClose * (1 - instrument.dailyLimit()) - tolerance;
    double upper = previousClose * (1 + instrument.dailyLimit()) + tolerance;
    return tick.price() < lower || tick.price() > upper;
  }
}
