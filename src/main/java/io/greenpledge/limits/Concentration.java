package io.greenpledge.limits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A bank's concentration against its limits: its eligible value by instrument, borrower and
 * borrower group as shares of its whole book, and the days the market would need to absorb its
 * pledged quantity of each instrument at 20 % of ADV20. Pure and exact: shares rounded once to 6
 * decimals, days to 2 (half-even); a figure above its limit is a breach, with the pledges behind
 * it.
 */
public final class Concentration {

  private Concentration() {}

  /** One live pledge of the bank, as valued now. */
  public record Holding(
      String pledgeId,
      String instrument,
      String borrowerCode,
      String borrowerGroup,
      long quantityUnits,
      long eligibleFen) {

    /** A pledge as valued now, its right measured at the model's haircut (no bank terms). */
    public static Holding of(
        io.greenpledge.valuation.Pledge p, io.greenpledge.valuation.Valuation v) {
      return new Holding(
          p.id(),
          p.instrument(),
          p.borrowerCode(),
          p.borrowerGroup(),
          v.quantityUnits(),
          v.modelEligibleFen());
    }
  }

  /**
   * A figure over its limit.
   *
   * @param limit the limit's name: maxInstrumentShare, maxBorrowerShare, maxGroupShare,
   *     maxLiquidationDays
   * @param key the instrument, borrower code or group
   * @param figure the share or the days; null for days when nothing traded in the window
   */
  public record Breach(
      String limit, String key, BigDecimal figure, BigDecimal max, List<String> pledgeIds) {}

  public static List<Breach> breaches(
      Limits limits, List<Holding> holdings, Map<String, BigDecimal> adv20) {
    long total = holdings.stream().mapToLong(Holding::eligibleFen).sum();
    List<Breach> breaches = new ArrayList<>();
    limits
        .maxInstrumentShare()
        .ifPresent(
            max ->
                shares("maxInstrumentShare", max, holdings, Holding::instrument, total, breaches));
    limits
        .maxBorrowerShare()
        .ifPresent(
            max ->
                shares("maxBorrowerShare", max, holdings, Holding::borrowerCode, total, breaches));
    limits
        .maxGroupShare()
        .ifPresent(
            max -> shares("maxGroupShare", max, holdings, Holding::borrowerGroup, total, breaches));
    limits
        .maxLiquidationDays()
        .ifPresent(
            max ->
                group(holdings, Holding::instrument)
                    .forEach(
                        (instrument, held) -> {
                          long units = held.stream().mapToLong(Holding::quantityUnits).sum();
                          BigDecimal adv = adv20.getOrDefault(instrument, BigDecimal.ZERO);
                          Optional<BigDecimal> days =
                              adv.signum() == 0
                                  ? Optional.empty()
                                  : Optional.of(
                                      BigDecimal.valueOf(units, 4)
                                          .divide(
                                              SystemExposure.PARTICIPATION.multiply(adv),
                                              2,
                                              RoundingMode.HALF_EVEN));
                          if (days.isEmpty() || days.get().compareTo(max) > 0) {
                            breaches.add(
                                new Breach(
                                    "maxLiquidationDays",
                                    instrument,
                                    days.orElse(null),
                                    max,
                                    ids(held)));
                          }
                        }));
    return breaches;
  }

  private static void shares(
      String limit,
      BigDecimal max,
      List<Holding> holdings,
      Function<Holding, String> key,
      long total,
      List<Breach> breaches) {
    if (total == 0) {
      return;
    }
    group(holdings, key)
        .forEach(
            (k, held) -> {
              long eligible = held.stream().mapToLong(Holding::eligibleFen).sum();
              BigDecimal share =
                  BigDecimal.valueOf(eligible)
                      .divide(BigDecimal.valueOf(total), 6, RoundingMode.HALF_EVEN);
              if (share.compareTo(max) > 0) {
                breaches.add(new Breach(limit, k, share, max, ids(held)));
              }
            });
  }

  /** By key, skipping holdings without one (a pledge registered before codes, no group). */
  private static Map<String, List<Holding>> group(
      List<Holding> holdings, Function<Holding, String> key) {
    Map<String, List<Holding>> groups = new TreeMap<>();
    for (Holding h : holdings) {
      String k = key.apply(h);
      if (k != null) {
        groups.computeIfAbsent(k, x -> new ArrayList<>()).add(h);
      }
    }
    return groups;
  }

  private static List<String> ids(List<Holding> held) {
    return held.stream().map(Holding::pledgeId).sorted().toList();
  }
}
