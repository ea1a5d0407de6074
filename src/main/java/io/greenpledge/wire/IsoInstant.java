package io.greenpledge.wire;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * ISO-8601 date-times with an offset, as connectors send tick timestamps. The form every connector
 * uses ({@code 2026-11-27T10:15:30.123Z}, {@code …+08:00}) is read by hand, which is several times
 * faster than {@link OffsetDateTime#parse} and was the largest cost of ingest in the profile; any
 * other form (lower-case letters, no seconds, out-of-range fields) goes to {@code
 * OffsetDateTime.parse}, so what is accepted, and how it is refused, does not change.
 */
final class IsoInstant {

  private IsoInstant() {}

  /**
   * @throws java.time.format.DateTimeParseException as {@link OffsetDateTime#parse} does
   */
  static Instant parse(String text) {
    Instant fast = common(text);
    return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)}, or null for anything else. */
  private static Instant common(String text) {
    int length = text.length();
    if (length < 20
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int at = 19;
    int nanos = 0;
    if (text.charAt(at) == '.') {
      int start = ++at;
      while (at < length && at - start < 9 && Character.isDigit(text.charAt(at))) {
        nanos = nanos * 10 + (text.charAt(at) - '0');
        at++;
      }
      if (at == start) {
        return null;
      }
      for (int scale = at - start; scale < 9; scale++) {
        nanos *= 10;
      }
    }
    ZoneOffset offset = offset(text, at);
    if (offset == null) {
      return null;
    }
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
    } catch (DateTimeException outOfRange) {
      return null;
    }
  }

  private static ZoneOffset offset(String text, int at) {
    int left = text.length() - at;
    if (left == 1 && text.charAt(at) == 'Z') {
      return ZoneOffset.UTC;
    }
    char sign = left == 6 ? text.charAt(at) : 0;
    if ((sign != '+' && sign != '-') || text.charAt(at + 3) != ':') {
      return null;
    }
    int hours = digits(text, at + 1, 2);
    int minutes = digits(text, at + 4, 2);
    if ((hours | minutes) < 0 || hours > 18 || minutes > 59) {
      return null;
    }
    try {
      return sign == '+'
          ? ZoneOffset.ofHoursMinutes(hours, minutes)
          : ZoneOffset.ofHoursMinutes(-hours, -minutes);
    } catch (DateTimeException outOfRange) {
      return null;
    }
  }

  /**
   * The decimal value of {@code count} ASCII digits at {@code from}, or -1 if one is not a digit.
   */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
