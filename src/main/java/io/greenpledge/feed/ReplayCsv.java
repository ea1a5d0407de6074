package io.greenpledge.feed;

import io.greenpledge.market.TradingCalendar;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses a replay file: a header line, then {@code ts,instrument,price,quantity}. {@code ts} is an
 * ISO-8601 instant or offset date-time, or a date (a daily bar, taken at 15:00 Asia/Shanghai).
 */
public final class ReplayCsv {

  /** One historical trade. */
  public record Row(Instant ts, String instrument, double price, double quantity) {}

  private ReplayCsv() {}

  public static List<Row> parse(String text) {
    List<Row> rows = new ArrayList<>();
    String[] lines = text.split("\\R");
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      rows.add(row(line, i + 1));
    }
    rows.sort(Comparator.comparing(Row::ts));
    return rows;
  }

  private static Row row(String line, int lineNumber) {
    String[] cells = line.split(",");
    if (cells.length != 4) {
      throw new IllegalArgumentException(
          "replay line " + lineNumber + ": expected ts,instrument,price,quantity");
    }
    try {
      return new Row(
          instant(cells[0].trim()),
          cells[1].trim(),
          Double.parseDouble(cells[2].trim()),
          Double.parseDouble(cells[3].trim()));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("replay line " + lineNumber + ": " + e.getMessage());
    }
  }

  private static Instant instant(String text) {
    if (text.length() == 10) {
      return LocalDate.parse(text)
          .atTime(TradingCalendar.CLOSE)
          .atZone(TradingCalendar.ZONE)
          .toInstant();
    }
    return text.endsWith("Z") ? Instant.parse(text) : OffsetDateTime.parse(text).toInstant();
  }
}
