package io.greenpledge.store;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A tick's price or quantity as the journal stores it: the number PostgreSQL's cast from {@code
 * float8} to the column's {@code numeric(…, 4)} gave, sent as decimal text. That cast prints the
 * double to 15 significant digits ({@code %.15g}), parses the text and rounds it to four places
 * (half away from zero); in the journal statement's profile the printing alone was about a
 * twentieth of the database's work per tick, the ingest path's limit. A double that is the nearest
 * one to a decimal of at most four places (every price and quantity the market accepts: it rounds
 * them so) is that decimal, from its scaled integer: a decimal of at most 15 significant digits
 * survives the round trip through a double, so the cast gives it back. Any other double is taken as
 * the cast takes it: its exact binary value rounded to 15 significant digits, ties to even, then to
 * four places.
 */
final class JournalDecimals {

  private static final double SCALE = 10_000;
  private static final long MAX_SCALED = 999_999_999_999_999L; // 15 digits
  private static final MathContext CAST = new MathContext(15, RoundingMode.HALF_EVEN);

  private JournalDecimals() {}

  /** The value as the journal's four-place column holds it; only for a finite value. */
  static BigDecimal stored(double value) {
    long scaled = Math.round(value * SCALE);
    if (Math.abs(scaled) <= MAX_SCALED && scaled / SCALE == value) {
      return BigDecimal.valueOf(scaled, 4);
    }
    return new BigDecimal(value).round(CAST).setScale(4, RoundingMode.HALF_UP);
  }

  /** The text the journal statement parses; NaN and the infinities as the cast gave them. */
  static String text(double value) {
    return Double.isFinite(value) ? stored(value).toPlainString() : Double.toString(value);
  }
}
