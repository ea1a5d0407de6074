package io.greenpledge.market;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * When markets trade, in Asia/Shanghai. Staleness is measured in trading time so that a quiet night
 * or weekend does not make a market stale, and "20 trading days" windows skip closed days. Public
 * holidays are not modelled: a holiday counts as a trading day without trades.
 */
public final class TradingCalendar {

  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final int MAX_DAYS_SCANNED = 400;

  /** A trading session within a day, [open, close). */
  public record Session(LocalTime open, LocalTime close) {}

  private final List<Session> sessions;
  private final boolean weekdaysOnly;

  private TradingCalendar(List<Session> sessions, boolean weekdaysOnly) {
    this.sessions = List.copyOf(sessions);
    this.weekdaysOnly = weekdaysOnly;
  }

  /** The exchange's daily open, the time an imported daily bar's open is stamped with. */
  public static final LocalTime OPEN = LocalTime.of(9, 30);

  /** The exchange's daily close, the time a daily bar (a close without a time) is stamped with. */
  public static final LocalTime CLOSE = LocalTime.of(15, 0);

  /** Shanghai Environment and Energy Exchange: Mon–Fri 09:30–11:30 and 13:00–15:00. */
  public static TradingCalendar exchange() {
    return new TradingCalendar(
        List.of(new Session(OPEN, LocalTime.of(11, 30)), new Session(LocalTime.of(13, 0), CLOSE)),
        true);
  }

  /**
   * The sessions as a person reads them: {@code Mon-Fri 09:30-11:30}, or {@code 00:00-24:00 daily}.
   */
  public List<String> describe() {
    if (!weekdaysOnly && sessions.size() == 1 && sessions.get(0).open().equals(LocalTime.MIN)) {
      return List.of("00:00-24:00 daily");
    }
    return sessions.stream()
        .map(s -> (weekdaysOnly ? "Mon-Fri " : "daily ") + s.open() + "-" + s.close())
        .toList();
  }

  /** Every instant is trading time; used by the demo simulator so it is alive at night. */
  public static TradingCalendar alwaysOpen() {
    return new TradingCalendar(List.of(new Session(LocalTime.MIN, LocalTime.MAX)), false);
  }

  public static TradingCalendar of(TradingHours hours) {
    return hours == TradingHours.ALWAYS ? alwaysOpen() : exchange();
  }

  public LocalDate tradingDay(Instant instant) {
    return instant.atZone(ZONE).toLocalDate();
  }

  public boolean isTradingDay(LocalDate day) {
    return !weekdaysOnly
        || (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY);
  }

  public boolean isOpen(Instant instant) {
    ZonedDateTime local = instant.atZone(ZONE);
    if (!isTradingDay(local.toLocalDate())) {
      return false;
    }
    LocalTime time = local.toLocalTime();
    return sessions.stream().anyMatch(s -> !time.isBefore(s.open()) && time.isBefore(s.close()));
  }

  /**
   * The trading day {@code count} trading days before {@code day} (0 = the day itself if it
   * trades).
   */
  /** The first trading day after {@code day}. */
  public LocalDate nextTradingDay(LocalDate day) {
    LocalDate cursor = day.plusDays(1);
    while (!isTradingDay(cursor)) {
      cursor = cursor.plusDays(1);
    }
    return cursor;
  }

  public LocalDate tradingDaysBack(LocalDate day, int count) {
    LocalDate cursor = day;
    int remaining = count;
    while (remaining > 0) {
      cursor = cursor.minusDays(1);
      if (isTradingDay(cursor)) {
        remaining--;
      }
    }
    return cursor;
  }

  /** Trading days after {@code from} up to and including {@code to} (0 when to ≤ from). */
  public int tradingDaysBetween(LocalDate from, LocalDate to) {
    int count = 0;
    for (LocalDate cursor = from.plusDays(1); !cursor.isAfter(to); cursor = cursor.plusDays(1)) {
      if (isTradingDay(cursor)) {
        count++;
      }
    }
    return count;
  }

  /** Length of one full trading day. */
  public Duration tradingDayLength() {
    return sessions.stream().map(s -> sessionLength(s)).reduce(Duration.ZERO, Duration::plus);
  }

  /**
   * How much trading time passes between two instants; zero if {@code to} is not after {@code
   * from}.
   */
  public Duration tradingTimeBetween(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      return Duration.ZERO;
    }
    LocalDate first = tradingDay(from);
    LocalDate last = tradingDay(to);
    if (first.plusDays(MAX_DAYS_SCANNED).isBefore(last)) {
      first = last.minusDays(MAX_DAYS_SCANNED);
    }
    Duration total = Duration.ZERO;
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      if (isTradingDay(day)) {
        total = total.plus(overlapOnDay(day, from, to));
      }
    }
    return total;
  }

  private Duration overlapOnDay(LocalDate day, Instant from, Instant to) {
    Duration sum = Duration.ZERO;
    for (Session session : sessions) {
      Instant open = day.atTime(session.open()).atZone(ZONE).toInstant();
      Instant close =
          session.close().equals(LocalTime.MAX)
              ? day.plusDays(1).atStartOfDay(ZONE).toInstant()
              : day.atTime(session.close()).atZone(ZONE).toInstant();
      Instant start = open.isAfter(from) ? open : from;
      Instant end = close.isBefore(to) ? close : to;
      if (end.isAfter(start)) {
        sum = sum.plus(Duration.between(start, end));
      }
    }
    return sum;
  }

  private static Duration sessionLength(Session session) {
    return session.close().equals(LocalTime.MAX)
        ? Duration.ofDays(1)
        : Duration.between(session.open(), session.close());
  }
}
