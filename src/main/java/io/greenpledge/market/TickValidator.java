package io.greenpledge.market;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/** The rules a tick must pass before it may move a price. Pure: state is passed in. */
public final class TickValidator {

  /**
   * What the journal can hold: prices and quantities are numeric with 4 decimals and must stay
   * above zero once rounded there (a quantity of 0.00001 would become 0 and break the journal's
   * check); the upper bounds keep a day's notional inside its column. Judged here so a tick the
   * store would refuse never moves a price.
   */
  static final double MIN_STORABLE = 0.0001;

  static final double MAX_PRICE = 1e6;
  static final double MAX_QUANTITY = 1e12;

  private final Duration maxFutureSkew;
  private final TradingCalendar calendar;

  public TickValidator(Duration maxFutureSkew, TradingCalendar calendar) {
    this.maxFutureSkew = maxFutureSkew;
    this.calendar = calendar;
  }

  /**
   * @param market the instrument's market, or null when the instrument is unknown
   * @param sequence the stored seqs of the tick's source, or null for a new source
   */
  Optional<RejectReason> check(
      Tick tick, InstrumentMarket market, SourceSequence sequence, Instant now) {
    if (market == null) {
      return Optional.of(RejectReason.UNKNOWN_INSTRUMENT);
    }
    if (!storable(tick.price(), MAX_PRICE)) {
      return Optional.of(RejectReason.INVALID_PRICE);
    }
    if (!storable(tick.quantity(), MAX_QUANTITY)) {
      return Optional.of(RejectReason.INVALID_QUANTITY);
    }
    if (tick.ts().isAfter(now.plus(maxFutureSkew))) {
      return Optional.of(RejectReason.FUTURE_TIMESTAMP);
    }
    if (sequence != null && tick.seq() <= sequence.last()) {
      return Optional.of(
          sequence.stored(tick.seq()) ? RejectReason.DUPLICATE : RejectReason.OUT_OF_ORDER);
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

  private static boolean storable(double value, double max) {
    return value >= MIN_STORABLE && value <= max; // false for NaN too
  }

  /** Half a tick of tolerance: limit prices are rounded to the tick grid by the exchange. */
  private static boolean outsideBand(Tick tick, Instrument instrument, double previousClose) {
    double tolerance = instrument.tickSize() / 2;
    double lower = previousClose * (1 - instrument.dailyLimit()) - tolerance;
    double upper = previousClose * (1 + instrument.dailyLimit()) + tolerance;
    return tick.price() < lower || tick.price() > upper;
  }
}
