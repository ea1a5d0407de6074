package io.greenpledge.feed.history;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One day of one instrument as a file gives it, before any check. Figures are exact decimals; a
 * figure the file leaves empty is null.
 *
 * @param line the file's line number, for every report about this row
 */
public record HistoryRow(
    String instrument,
    LocalDate day,
    BigDecimal open,
    BigDecimal high,
    BigDecimal low,
    BigDecimal close,
    BigDecimal volume,
    BigDecimal amount,
    String file,
    long line) {

  /** A holiday row: a date and nothing else. */
  public boolean blank() {
    return open == null
        && high == null
        && low == null
        && close == null
        && volume == null
        && amount == null;
  }

  public String where() {
    return file + " line " + line;
  }
}
