package io.greenpledge.calls;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The rules of a disposal decision, pure: what a sale must say and what the loan recovers, and what
 * a forbearance must say. An invalid decision is an {@link IllegalArgumentException} naming the
 * field.
 */
public final class Disposal {

  /** The longest forbearance granted in one decision. */
  public static final Duration MAX_FORBEARANCE = Duration.ofDays(366);

  private Disposal() {}

  /**
   * A sale of the pledged right and what it did to the loan: the proceeds repay the outstanding
   * principal first ({@code recovery}); what they do not cover is the {@code shortfall} (now
   * unsecured), what exceeds it the {@code surplus} (owed back to the borrower).
   */
  public record Sale(
      BigDecimal quantity,
      BigDecimal price,
      BigDecimal proceeds,
      LocalDate soldOn,
      BigDecimal outstanding,
      BigDecimal recovery,
      BigDecimal shortfall,
      BigDecimal surplus) {}

  /** A decision to wait, with why and until when. */
  public record Forbearance(String reason, Instant until) {}

  /**
   * @param proceeds the sale's net proceeds if the bank states them (fees deducted), else null:
   *     quantity × price, half-even to the fen
   */
  public static Sale sale(
      BigDecimal quantity,
      BigDecimal price,
      BigDecimal proceeds,
      LocalDate soldOn,
      BigDecimal pledged,
      BigDecimal outstanding,
      LocalDate today) {
    if (quantity == null || quantity.signum() <= 0 || quantity.stripTrailingZeros().scale() > 4) {
      throw new IllegalArgumentException("quantity must be positive with at most 4 decimals");
    }
    if (quantity.compareTo(pledged) > 0) {
      throw new IllegalArgumentException(
          "quantity "
              + quantity.toPlainString()
              + " is more than the "
              + pledged.toPlainString()
              + " pledged");
    }
    if (price == null || price.signum() <= 0 || price.stripTrailingZeros().scale() > 4) {
      throw new IllegalArgumentException("price must be positive with at most 4 decimals");
    }
    if (soldOn == null || soldOn.isAfter(today)) {
      throw new IllegalArgumentException("soldOn must be a date, not after today (" + today + ")");
    }
    BigDecimal net =
        proceeds != null ? proceeds : quantity.multiply(price).setScale(2, RoundingMode.HALF_EVEN);
    if (net.signum() < 0 || net.stripTrailingZeros().scale() > 2) {
      throw new IllegalArgumentException(
          "proceeds must be a non-negative CNY amount with at most two decimals");
    }
    net = net.setScale(2, RoundingMode.UNNECESSARY);
    BigDecimal recovery = net.min(outstanding).setScale(2, RoundingMode.UNNECESSARY);
    return new Sale(
        quantity.stripTrailingZeros(),
        price.stripTrailingZeros(),
        net,
        soldOn,
        outstanding,
        recovery,
        outstanding.subtract(recovery).setScale(2, RoundingMode.UNNECESSARY),
        net.subtract(recovery).setScale(2, RoundingMode.UNNECESSARY));
  }

  public static Forbearance forbearance(String reason, Instant until, Instant now) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a forbearance needs a reason");
    }
    if (until == null || !until.isAfter(now)) {
      throw new IllegalArgumentException("until must be in the future");
    }
    if (until.isAfter(now.plus(MAX_FORBEARANCE))) {
      throw new IllegalArgumentException(
          "until is at most " + MAX_FORBEARANCE.toDays() + " days ahead");
    }
    return new Forbearance(reason.strip(), until);
  }
}
