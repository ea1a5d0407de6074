package io.greenpledge.limits;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A bank's limits: its eligibility schedule (which rights it takes as collateral, and on what
 * terms) and its concentration limits. Each limit is optional (absent: no limit). Pure.
 *
 * @param eligibleInstruments the instruments the bank takes; empty: every instrument
 * @param minRemainingDays the least remaining term (days) of an expiring right
 * @param maxAdvMultiple the largest position, as a multiple of the instrument's ADV20
 * @param haircutFloors per instrument, a haircut floor above the model's (0–0.95)
 * @param maxInstrumentShare the largest share of the bank's eligible value in one instrument
 * @param maxBorrowerShare … in one borrower
 * @param maxGroupShare … in one borrower group
 * @param maxLiquidationDays the bank's total pledged quantity of an instrument ÷ (0.2 × ADV20)
 * @param concentrationAddOn added to the haircut of the pledges over a concentration limit
 */
public record Limits(
    Set<String> eligibleInstruments,
    Optional<Integer> minRemainingDays,
    Optional<BigDecimal> maxAdvMultiple,
    Map<String, BigDecimal> haircutFloors,
    Optional<BigDecimal> maxInstrumentShare,
    Optional<BigDecimal> maxBorrowerShare,
    Optional<BigDecimal> maxGroupShare,
    Optional<BigDecimal> maxLiquidationDays,
    BigDecimal concentrationAddOn) {

  /** No limit at all: a bank that has not set any. */
  public static final Limits NONE =
      new Limits(
          Set.of(),
          Optional.empty(),
          Optional.empty(),
          Map.of(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          BigDecimal.ZERO);

  public Limits {
    eligibleInstruments = Set.copyOf(new TreeSet<>(eligibleInstruments));
    haircutFloors = Map.copyOf(new TreeMap<>(haircutFloors));
    minRemainingDays.ifPresent(d -> require(d >= 0, "minRemainingDays is 0 or more"));
    maxAdvMultiple.ifPresent(m -> require(m.signum() > 0, "maxAdvMultiple is positive"));
    haircutFloors.forEach(
        (instrument, floor) ->
            require(
                floor.signum() >= 0 && floor.compareTo(new BigDecimal("0.95")) <= 0,
                "haircutFloors." + instrument + " is between 0 and 0.95"));
    for (Optional<BigDecimal> share :
        java.util.List.of(maxInstrumentShare, maxBorrowerShare, maxGroupShare)) {
      share.ifPresent(
          s -> require(s.signum() > 0 && s.compareTo(BigDecimal.ONE) <= 0, "shares are in (0, 1]"));
    }
    maxLiquidationDays.ifPresent(d -> require(d.signum() > 0, "maxLiquidationDays is positive"));
    require(
        concentrationAddOn.signum() >= 0
            && concentrationAddOn.compareTo(new BigDecimal("0.5")) <= 0,
        "concentrationAddOn is between 0 and 0.5");
  }

  /** A rule a pledge breaks: its name (a field of the schedule) and why. */
  public record Breach(String rule, String detail) {}

  /**
   * The first eligibility rule a position breaks, if any.
   *
   * @param rightExpiry null for rights that do not expire
   * @param adv20 the instrument's ADV20 now (0 when nothing traded in the window)
   */
  public Optional<Breach> eligibility(
      String instrument,
      BigDecimal quantity,
      LocalDate rightExpiry,
      LocalDate today,
      BigDecimal adv20) {
    if (!eligibleInstruments.isEmpty() && !eligibleInstruments.contains(instrument)) {
      return Optional.of(
          new Breach(
              "eligibleInstruments",
              instrument
                  + " is not in the bank's eligible instruments "
                  + new TreeSet<>(eligibleInstruments)));
    }
    if (minRemainingDays.isPresent() && rightExpiry != null) {
      long remaining = ChronoUnit.DAYS.between(today, rightExpiry);
      if (remaining < minRemainingDays.get()) {
        return Optional.of(
            new Breach(
                "minRemainingDays",
                "the right has "
                    + remaining
                    + " days left, the bank takes at least "
                    + minRemainingDays.get()));
      }
    }
    if (maxAdvMultiple.isPresent()) {
      BigDecimal cap = maxAdvMultiple.get().multiply(adv20);
      if (quantity.compareTo(cap) > 0) {
        return Optional.of(
            new Breach(
                "maxAdvMultiple",
                "the position of "
                    + quantity.stripTrailingZeros().toPlainString()
                    + " is more than "
                    + maxAdvMultiple.get().stripTrailingZeros().toPlainString()
                    + " × ADV20 ("
                    + adv20.stripTrailingZeros().toPlainString()
                    + ") = "
                    + cap.stripTrailingZeros().toPlainString()));
      }
    }
    return Optional.empty();
  }

  private static void require(boolean holds, String message) {
    if (!holds) {
      throw new IllegalArgumentException(message);
    }
  }
}
