package io.greenpledge.limits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every bank together has pledged of each instrument, and how long the market would take to
 * absorb it if all of it were sold at once at the participation rate of the haircut model (20 % of
 * ADV20 a day): the regulator's view of the system, not of one loan. Exact: quantities in 1e-4
 * units, money in fen, days rounded once (half-even, 2 decimals).
 */
public final class SystemExposure {

  /** The share of a day's volume a forced seller can take without moving the price. */
  public static final BigDecimal PARTICIPATION = new BigDecimal("0.2");

  private SystemExposure() {}

  /** One live pledge's position, as valued now. */
  public record Position(
      String bank,
      String instrument,
      long quantityUnits,
      long marketValueFen,
      long eligibleFen,
      long outstandingFen) {}

  /** One bank's part of an instrument's total. */
  public record BankShare(
      String bank, int pledges, BigDecimal quantity, long marketValueFen, BigDecimal share) {}

  /**
   * @param daysToLiquidate quantity / (0.2 × ADV20), null when nothing traded in the window
   */
  public record InstrumentExposure(
      String instrument,
      int pledges,
      BigDecimal quantity,
      long marketValueFen,
      long eligibleFen,
      long outstandingFen,
      BigDecimal adv20,
      BigDecimal daysToLiquidate,
      List<BankShare> banks) {}

  /** {@link #of} over the live valuations of the book. */
  public static List<InstrumentExposure> ofBook(
      Iterable<io.greenpledge.valuation.Valuation> valuations, Map<String, BigDecimal> adv20) {
    Sums sums = new Sums();
    for (io.greenpledge.valuation.Valuation v : valuations) {
      sums.add(
          v.bank(),
          v.instrument(),
          v.quantityUnits(),
          v.marketValueFen(),
          v.eligibleFen(),
          v.outstandingFen());
    }
    return sums.exposure(adv20);
  }

  /** Per instrument (by id), each with its banks (by id); {@code adv20} per instrument. */
  public static List<InstrumentExposure> of(
      Iterable<Position> positions, Map<String, BigDecimal> adv20) {
    Sums sums = new Sums();
    for (Position p : positions) {
      sums.add(
          p.bank(),
          p.instrument(),
          p.quantityUnits(),
          p.marketValueFen(),
          p.eligibleFen(),
          p.outstandingFen());
    }
    return sums.exposure(adv20);
  }

  /**
   * Positions summed as they come, per instrument and bank: a run over the whole book keeps one
   * total per pair, never the positions.
   */
  private static final class Sums {
    private final Map<String, Map<String, Sum>> byInstrument = new HashMap<>();

    void add(
        String bank,
        String instrument,
        long quantityUnits,
        long marketValueFen,
        long eligibleFen,
        long outstandingFen) {
      Sum sum =
          byInstrument
              .computeIfAbsent(instrument, k -> new HashMap<>())
              .computeIfAbsent(bank, k -> new Sum());
      sum.units += quantityUnits;
      sum.marketValueFen += marketValueFen;
      sum.eligibleFen += eligibleFen;
      sum.outstandingFen += outstandingFen;
      sum.pledges++;
    }

    List<InstrumentExposure> exposure(Map<String, BigDecimal> adv20) {
      List<InstrumentExposure> result = new ArrayList<>();
      new TreeMap<>(byInstrument)
          .forEach((instrument, banks) -> result.add(instrument(instrument, banks, adv20)));
      return result;
    }

    private static InstrumentExposure instrument(
        String instrument, Map<String, Sum> banks, Map<String, BigDecimal> adv20) {
      Sum all = new Sum();
      banks.values().forEach(all::add);
      BigDecimal quantity = BigDecimal.valueOf(all.units, 4);
      List<BankShare> shares = new ArrayList<>();
      new TreeMap<>(banks)
          .forEach(
              (bank, sum) ->
                  shares.add(
                      new BankShare(
                          bank,
                          sum.pledges,
                          plain(BigDecimal.valueOf(sum.units, 4)),
                          sum.marketValueFen,
                          all.units == 0
                              ? BigDecimal.ZERO.setScale(6)
                              : BigDecimal.valueOf(sum.units)
                                  .divide(
                                      BigDecimal.valueOf(all.units), 6, RoundingMode.HALF_EVEN))));
      BigDecimal adv = adv20.getOrDefault(instrument, BigDecimal.ZERO);
      BigDecimal days =
          adv.signum() == 0
              ? null
              : quantity.divide(PARTICIPATION.multiply(adv), 2, RoundingMode.HALF_EVEN);
      return new InstrumentExposure(
          instrument,
          all.pledges,
          plain(quantity),
          all.marketValueFen,
          all.eligibleFen,
          all.outstandingFen,
          plain(adv),
          days,
          List.copyOf(shares));
    }
  }

  /** One instrument's totals, of one bank or of all. */
  private static final class Sum {
    long units;
    long marketValueFen;
    long eligibleFen;
    long outstandingFen;
    int pledges;

    void add(Sum other) {
      units += other.units;
      marketValueFen += other.marketValueFen;
      eligibleFen += other.eligibleFen;
      outstandingFen += other.outstandingFen;
      pledges += other.pledges;
    }
  }

  private static BigDecimal plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
