package io.greenpledge.feed.history;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.TradingCalendar;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges one instrument's imported days as a series, oldest first: the exchange's limit band is
 * checked against the previous close <em>in the series</em> (or the journal's close before the
 * first day), never against the catalog's reference price. A refused day does not become a previous
 * close. A day with zero volume is a valid bar (no trade); a blank day (a holiday row) is skipped,
 * not refused. Missing open, high or low are taken as the close (a series of closes only); missing
 * volume as 0.
 *
 * <p>Only completed days are history: the trading day under way and later ones are refused. The
 * running market applies an import to completed days only, while a valuation's replay reads the
 * day's journal by id; a trade imported into today would be in the replay and not in what the
 * market served, and a trade dated tomorrow would become the last trade at the next start.
 */
public final class SeriesCheck {

  /** Why a day was refused. */
  public enum Reason {
    NOT_OVER(
        "the trading day is not over: history holds completed days, the current one comes from"
            + " the live feed"),
    DUPLICATE_DATE("the same date again in this file"),
    CLOSED_DAY("the exchange does not trade on this date"),
    NO_CLOSE("no close price"),
    NOT_POSITIVE("a price is zero or negative"),
    OUT_OF_RANGE("a price above 1,000,000, a volume above 10^12 or an amount above 10^18"),
    HIGH_BELOW_LOW("the high is below the low"),
    OUTSIDE_DAY_RANGE("the open or close is outside the day's high–low range"),
    NEGATIVE_VOLUME("the volume or amount is negative"),
    OUTSIDE_LIMIT_BAND("outside the daily limit band around the previous close");

    final String text;

    Reason(String text) {
      this.text = text;
    }
  }

  /** A refused day (or trade) and why. */
  public record Refusal(String where, LocalDate day, Reason reason, String detail) {
    @Override
    public String toString() {
      return where + ": " + day + " " + reason + " (" + detail + ")";
    }
  }

  /** The verdict on a series of trades. */
  public record TradesResult(List<HistoryFile.TradeRow> accepted, List<Refusal> refused) {
    public Map<Reason, Integer> refusedByReason() {
      Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
      refused.forEach(r -> counts.merge(r.reason(), 1, Integer::sum));
      return counts;
    }
  }

  /**
   * Trades in time order: each within the band around the previous trading day's last accepted
   * price (or the journal's close before the first), on a day the exchange trades, with a positive
   * price and quantity.
   */
  public TradesResult checkTrades(
      List<HistoryFile.TradeRow> trades, Optional<BigDecimal> closeBefore) {
    List<HistoryFile.TradeRow> accepted = new ArrayList<>();
    List<Refusal> refused = new ArrayList<>();
    BigDecimal previousClose = closeBefore.orElse(null);
    BigDecimal lastPrice = null;
    LocalDate day = null;
    for (HistoryFile.TradeRow t : trades) {
      LocalDate tradeDay = t.ts().atZone(TradingCalendar.ZONE).toLocalDate();
      if (day != null && !tradeDay.equals(day) && lastPrice != null) {
        previousClose = lastPrice;
      }
      day = tradeDay;
      Optional<String> wrong = Optional.empty();
      Reason reason = null;
      if (!tradeDay.isBefore(today)) {
        reason = Reason.NOT_OVER;
        wrong = Optional.of("today is " + today);
      } else if (!calendar.isTradingDay(tradeDay)) {
        reason = Reason.CLOSED_DAY;
        wrong = Optional.of(tradeDay.getDayOfWeek().toString());
      } else if (t.price().signum() <= 0 || t.quantity().signum() <= 0) {
        reason = Reason.NOT_POSITIVE;
        wrong = Optional.of("price " + t.price() + ", quantity " + t.quantity());
      } else if (t.price().compareTo(MAX_PRICE) > 0 || t.quantity().compareTo(MAX_VOLUME) > 0) {
        reason = Reason.OUT_OF_RANGE;
        wrong = Optional.of("price " + t.price() + ", quantity " + t.quantity());
      } else if (previousClose != null && outsideBand(t.price(), previousClose)) {
        reason = Reason.OUTSIDE_LIMIT_BAND;
        wrong = Optional.of(t.price() + " against previous close " + previousClose);
      }
      if (reason != null) {
        refused.add(new Refusal(t.where(), tradeDay, reason, reason.text + ": " + wrong.get()));
        continue;
      }
      accepted.add(t);
      lastPrice = t.price();
    }
    return new TradesResult(accepted, refused);
  }

  private boolean outsideBand(BigDecimal price, BigDecimal previousClose) {
    BigDecimal band =
        previousClose
            .multiply(BigDecimal.valueOf(instrument.dailyLimit()))
            .add(BigDecimal.valueOf(instrument.tickSize()));
    return price.compareTo(previousClose.add(band)) > 0
        || price.compareTo(previousClose.subtract(band)) < 0;
  }

  /** A day as it will be stored; amount is volume × close when the file gives none. */
  public record Day(
      LocalDate day,
      BigDecimal open,
      BigDecimal high,
      BigDecimal low,
      BigDecimal close,
      BigDecimal volume,
      BigDecimal amount,
      boolean amountGiven,
      HistoryRow source) {}

  /** The verdict on a series. */
  public record Result(List<Day> accepted, List<Refusal> refused, int blank) {
    public Map<Reason, Integer> refusedByReason() {
      Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
      refused.forEach(r -> counts.merge(r.reason(), 1, Integer::sum));
      return counts;
    }
  }

  /** The journal's bounds for a tick, applied to a day as well (the columns hold them exactly). */
  static final BigDecimal MAX_PRICE = new BigDecimal("1000000");

  static final BigDecimal MAX_VOLUME = new BigDecimal("1000000000000");
  static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000000000");

  private final Instrument instrument;
  private final TradingCalendar calendar;
  private final LocalDate today;

  /**
   * @param today the trading day under way: it and later days are refused ({@link Reason#NOT_OVER})
   */
  public SeriesCheck(Instrument instrument, TradingCalendar calendar, LocalDate today) {
    this.instrument = instrument;
    this.calendar = calendar;
    this.today = today;
  }

  /**
   * @param closeBefore the journal's close on the trading day before the first row, if any
   */
  public Result check(List<HistoryRow> rows, Optional<BigDecimal> closeBefore) {
    List<HistoryRow> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(HistoryRow::day).thenComparingLong(HistoryRow::line));
    List<Day> accepted = new ArrayList<>();
    List<Refusal> refused = new ArrayList<>();
    Set<LocalDate> seen = new HashSet<>();
    int blank = 0;
    BigDecimal previous = closeBefore.orElse(null);
    for (HistoryRow row : sorted) {
      if (row.blank()) {
        blank++;
        continue;
      }
      if (!seen.add(row.day())) {
        refused.add(
            new Refusal(
                row.where(), row.day(), Reason.DUPLICATE_DATE, "first given earlier in the file"));
        continue;
      }
      Optional<Refusal> refusal = judge(row, previous);
      if (refusal.isPresent()) {
        refused.add(refusal.get());
        continue;
      }
      Day day = day(row);
      accepted.add(day);
      previous = day.close();
    }
    return new Result(accepted, refused, blank);
  }

  private Optional<Refusal> judge(HistoryRow row, BigDecimal previousClose) {
    if (!row.day().isBefore(today)) {
      return refuse(row, Reason.NOT_OVER, "today is " + today);
    }
    if (!calendar.isTradingDay(row.day())) {
      return refuse(row, Reason.CLOSED_DAY, row.day().getDayOfWeek().toString());
    }
    if (row.close() == null) {
      return refuse(row, Reason.NO_CLOSE, "the row has figures but no close");
    }
    Day d = day(row);
    if (d.low().signum() <= 0 || d.close().signum() <= 0 || d.open().signum() <= 0) {
      return refuse(row, Reason.NOT_POSITIVE, "low " + d.low() + ", close " + d.close());
    }
    if (d.high().compareTo(MAX_PRICE) > 0
        || d.volume().abs().compareTo(MAX_VOLUME) > 0
        || d.amount().abs().compareTo(MAX_AMOUNT) > 0) {
      return refuse(row, Reason.OUT_OF_RANGE, "high " + d.high() + ", volume " + d.volume());
    }
    if (d.high().compareTo(d.low()) < 0) {
      return refuse(row, Reason.HIGH_BELOW_LOW, "high " + d.high() + " < low " + d.low());
    }
    if (outside(d.open(), d) || outside(d.close(), d)) {
      return refuse(
          row,
          Reason.OUTSIDE_DAY_RANGE,
          "open " + d.open() + ", close " + d.close() + ", range " + d.low() + "–" + d.high());
    }
    if (d.volume().signum() < 0 || d.amount().signum() < 0) {
      return refuse(row, Reason.NEGATIVE_VOLUME, "volume " + d.volume() + ", amount " + d.amount());
    }
    if (previousClose != null) {
      // The band, widened by one price tick for the exchange's rounding of the limit price.
      BigDecimal band =
          previousClose
              .multiply(BigDecimal.valueOf(instrument.dailyLimit()))
              .add(BigDecimal.valueOf(instrument.tickSize()));
      BigDecimal up = previousClose.add(band);
      BigDecimal down = previousClose.subtract(band);
      if (d.high().compareTo(up) > 0 || d.low().compareTo(down) < 0) {
        return refuse(
            row,
            Reason.OUTSIDE_LIMIT_BAND,
            "range "
                + d.low()
                + "–"
                + d.high()
                + " against previous close "
                + previousClose
                + " ± "
                + BigDecimal.valueOf(instrument.dailyLimit() * 100).round(MathContext.DECIMAL32)
                + " %");
      }
    }
    return Optional.empty();
  }

  private static boolean outside(BigDecimal price, Day d) {
    return price.compareTo(d.low()) < 0 || price.compareTo(d.high()) > 0;
  }

  private static Optional<Refusal> refuse(HistoryRow row, Reason reason, String detail) {
    return Optional.of(new Refusal(row.where(), row.day(), reason, reason.text + ": " + detail));
  }

  private static Day day(HistoryRow row) {
    BigDecimal close = row.close();
    BigDecimal open = row.open() != null ? row.open() : close;
    BigDecimal high = row.high() != null ? row.high() : open.max(close);
    BigDecimal low = row.low() != null ? row.low() : open.min(close);
    BigDecimal volume = row.volume() != null ? row.volume() : BigDecimal.ZERO;
    boolean amountGiven = row.amount() != null;
    BigDecimal amount = amountGiven ? row.amount() : volume.multiply(close);
    return new Day(row.day(), open, high, low, close, volume, amount, amountGiven, row);
  }
}
