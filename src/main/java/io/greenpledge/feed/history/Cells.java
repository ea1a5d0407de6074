package io.greenpledge.feed.history;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates and numbers as Chinese exports write them: {@code 2025/5/7}, {@code 2025-05-07}, {@code
 * 20250507}, {@code 2025年5月7日}, a time after the date; numbers with thousands separators,
 * full-width digits or E-notation; {@code --}, {@code -} or nothing for "no value".
 */
final class Cells {

  private static final Pattern DATE =
      Pattern.compile("(\\d{4})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*日?(?:[ T].*)?");
  private static final Pattern COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");

  private Cells() {}

  /** A cell that should hold a number or a date and does not. */
  static final class BadCell extends RuntimeException {
    BadCell(String message) {
      super(message, null, false, false);
    }
  }

  /** The date in a cell, or empty when the cell is not a date (a header, a source line). */
  static Optional<LocalDate> date(String raw) {
    String text = normalise(raw);
    try {
      Matcher m = DATE.matcher(text);
      if (m.matches()) {
        return Optional.of(
            LocalDate.of(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
      }
      m = COMPACT.matcher(text);
      if (m.matches()) {
        return Optional.of(
            LocalDate.of(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))));
      }
    } catch (java.time.DateTimeException invalid) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * A trade's time: ISO-8601 with {@code Z} or an offset, or a local date-time in Asia/Shanghai
   * ({@code 2025-05-07 10:31:00}), or a date alone (the exchange's close).
   */
  static java.time.Instant instant(String raw) {
    String text = normalise(raw);
    try {
      if (text.length() == 10) {
        return date(text)
            .orElseThrow(() -> new BadCell("'" + text + "' is not a time"))
            .atTime(io.greenpledge.market.TradingCalendar.CLOSE)
            .atZone(io.greenpledge.market.TradingCalendar.ZONE)
            .toInstant();
      }
      if (text.endsWith("Z")) {
        return java.time.Instant.parse(text);
      }
      if (text.matches(".*[+-]\\d\\d:?\\d\\d$")) {
        return java.time.OffsetDateTime.parse(text).toInstant();
      }
      return java.time.LocalDateTime.parse(text.replace(' ', 'T'))
          .atZone(io.greenpledge.market.TradingCalendar.ZONE)
          .toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new BadCell(
          "'" + text + "' is not a time (ISO-8601, or 2025-05-07 10:31:00 in Shanghai)");
    }
  }

  /** A number, null for an empty cell; a cell that is neither is an error. */
  static BigDecimal number(String raw) {
    String text = normalise(raw).replace(",", "").replace("，", "");
    if (text.isEmpty() || text.equals("-") || text.equals("--") || text.equalsIgnoreCase("N/A")) {
      return null;
    }
    try {
      BigDecimal value = new BigDecimal(text);
      // Bounded before anything expands it: 1e999999999 must not become a billion digits.
      if (value.signum() != 0 && (value.precision() - value.scale() > 30 || value.scale() > 30)) {
        throw new BadCell("'" + abbreviate(raw.strip()) + "' is out of range");
      }
      return new BigDecimal(value.stripTrailingZeros().toPlainString());
    } catch (NumberFormatException e) {
      throw new BadCell("'" + abbreviate(raw.strip()) + "' is not a number");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  /** Full-width digits and punctuation as ASCII, surrounding blanks and quotes removed. */
  static String normalise(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (char c : raw.strip().toCharArray()) {
      if (c >= '０' && c <= '９') {
        out.append((char) ('0' + (c - '０')));
      } else if (c == '．') {
        out.append('.');
      } else if (c == '－') {
        out.append('-');
      } else if (c != '\u00a0') {
        out.append(c);
      }
    }
    return out.toString().strip();
  }
}
