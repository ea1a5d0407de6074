package io.greenpledge.store;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A tick's price or quantity as the decimal text the journal parses, the same number PostgreSQL's
 * cast from {@code float8} gave. That cast prints the double to 15 significant digits ({@code
 * %.15g}) and parses the text; in the journal statement's profile it was about a twentieth of the
 * database's work per tick, which is the ingest path's limit. Here a double that is the nearest one
 * to a decimal of at most four places (every price and quantity a market or a file gives, once
 * parsed) is written as that decimal from its scaled integer, which is the cast's text: a decimal
 * of at most 15 significant digits survives the round trip through a double, so printing the double
 * to 15 digits gives it back. Any other double is printed as the cast prints it: its exact binary
 * value rounded to 15 significant digits, ties to even.
 */
final class JournalDecimals {

  private static final double SCALE = 10_000;
  private static final long MAX_SCALED = 999_999_999_999_999L; // 15 digits
  private static final MathContext CAST = new MathContext(15, RoundingMode.HALF_EVEN);

  private JournalDecimals() {}

  static String text(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value); // NaN, Infinity, -Infinity: as the cast gives them
    }
    long scaled = Math.round(value * SCALE);
    if (Math.abs(scaled) <= MAX_SCALED && scaled / SCALE == value) {
      return fourPlaces(scaled);
    }
    return new BigDecimal(value).round(CAST).toString();
  }

  private static String fourPlaces(long scaled) {
    long units = Math.abs(scaled);
    long whole = units / 10_000;
    int fraction = (int) (units % 10_000);
    StringBuilder text = new StringBuilder(24);
    if (scaled < 0) {
      text.append('-');
    }
    text.append(whole).append('.');
    if (fraction < 1000) {
      text.append('0');
    }
    if (fraction < 100) {
      text.append('0');
    }
    if (fraction < 10) {
      text.append('0');
    }
    return text.append(fraction).toString();
  }
}
