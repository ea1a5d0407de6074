package io.greenpledge.limits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
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
    List<Position> positions = new ArrayList<>();
    for (io.greenpledge.valuation.Valuation v : valuations) {
      positions.add(
          new Position(
              v.bank(),
              v.instrument(),
              v.quantityUnits(),
              v.marketValueFen(),
              v.eligibleFen(),
              v.outstandingFen()));
    }
    return of(positions, adv20);
  }

  /** Per instrument (by id), each with its banks (by id); {@code adv20} per instrument. */
  public static List<InstrumentExposure> of(
      Collection<Position> positions, Map<String, BigDecimal> adv20) {
    Map<String, Map<String, List<Position>>> byInstrument = new TreeMap<>();
    for (Position p : positions) {
      byInstrument
          .computeIfAbsent(p.instrument(), k -> new TreeMap<>())
          .computeIfAbsent(p.bank(), k -> new ArrayList<>())
          .add(p);
    }
    List<InstrumentExposure> result = new ArrayList<>();
    byInstrument.forEach(
        (instrument, banks) -> {
          long units = 0;
          long mv = 0;
          long eligible = 0;
          long outstanding = 0;
          int count = 0;
          for (List<Position> held : banks.values()) {
            for (Position p : held) {
              units += p.quantityUnits();
              mv += p.marketValueFen();
              eligible += p.eligibleFen();
              outstanding += p.outstandingFen();
              count++;
            }
          }
          BigDecimal quantity = BigDecimal.valueOf(units, 4);
          List<BankShare> shares = new ArrayList<>();
          for (Map.Entry<String, List<Position>> bank : banks.entrySet()) {
            long bankUnits = bank.getValue().stream().mapToLong(Position::quantityUnits).sum();
            long bankMv = bank.getValue().stream().mapToLong(Position::marketValueFen).sum();
            shares.add(
                new BankShare(
                    bank.getKey(),
                    bank.getValue().size(),
                    plain(BigDecimal.valueOf(bankUnits, 4)),
                    bankMv,
                    units == 0
                        ? BigDecimal.ZERO.setScale(6)
                        : BigDecimal.valueOf(bankUnits)
                            .divide(BigDecimal.valueOf(units), 6, RoundingMode.HALF_EVEN)));
          }
          BigDecimal adv = adv20.getOrDefault(instrument, BigDecimal.ZERO);
          BigDecimal days =
              adv.signum() == 0
                  ? null
                  : quantity.divide(PARTICIPATION.multiply(adv), 2, RoundingMode.HALF_EVEN);
          result.add(
              new InstrumentExposure(
                  instrument,
                  count,
                  plain(quantity),
                  mv,
                  eligible,
                  outstanding,
                  plain(adv),
                  days,
                  List.copyOf(shares)));
        });
    return result;
  }

  private static BigDecimal plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
