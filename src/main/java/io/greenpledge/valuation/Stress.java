package io.greenpledge.valuation;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Quote;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Revalues positions under a scenario of price shocks. A shock is relative (−0.3 = the mark falls
 * by 30 %). A σ multiple k shocks every instrument not named explicitly by a k-σ fall over its
 * tier's liquidation horizon: exp(−k·σ·√horizon) − 1. Stressed statuses have no hysteresis: the
 * question is where coverage would stand, not how alerts would flap.
 */
public final class Stress {

  /** The scenario: explicit shocks per instrument and/or a σ multiple for the rest. */
  public record Scenario(Map<String, Double> shocks, double sigmaMultiple) {
    public Scenario {
      shocks = Map.copyOf(shocks);
      shocks.forEach(
          (instrument, shock) -> {
            if (!(shock > -1) || Double.isInfinite(shock)) {
              throw new IllegalArgumentException(
                  "shock for " + instrument + " must be greater than -1, was " + shock);
            }
          });
      if (!(sigmaMultiple >= 0) || Double.isInfinite(sigmaMultiple)) {
        throw new IllegalArgumentException("sigmaMultiple must be zero or positive");
      }
    }
  }

  /** One position before and after the shock. */
  public record PledgeResult(double shock, Valuation base, Valuation stressed) {}

  /** What the scenario means for one bank. Money in fen so the totals are exact. */
  public record BankResult(
      String bank,
      int pledges,
      Map<CoverageStatus, Integer> byStatus,
      int breaches,
      long topUpCents,
      long marketValueCents,
      long stressedMarketValueCents) {}

  /** The whole answer. */
  public record Result(
      Map<String, Double> shocks, List<PledgeResult> pledges, List<BankResult> banks) {}

  private Stress() {}

  public static double shockFor(Instrument instrument, Quote quote, Scenario scenario) {
    Double explicit = scenario.shocks().get(instrument.id());
    if (explicit != null) {
      return explicit;
    }
    if (scenario.sigmaMultiple() == 0) {
      return 0;
    }
    return Math.exp(
            -scenario.sigmaMultiple() * quote.sigma() * Math.sqrt(instrument.tier().horizonDays()))
        - 1;
  }

  /** Stresses the current valuations {@code base} (already filtered to the caller's scope). */
  public static Result run(
      Collection<Valuation> base,
      Map<String, Quote> quotes,
      Instruments catalog,
      Scenario scenario) {
    Map<String, Double> shocks = new TreeMap<>();
    for (Instrument instrument : catalog.all()) {
      Quote quote = quotes.get(instrument.id());
      if (quote != null) {
        shocks.put(instrument.id(), shockFor(instrument, quote, scenario));
      }
    }
    Map<MarketInputs, MarketInputs> shockedInputs = new HashMap<>();
    List<PledgeResult> results = new ArrayList<>(base.size());
    Map<String, BankAccumulator> banks = new TreeMap<>();
    for (Valuation before : base) {
      Instrument instrument = catalog.find(before.instrument()).orElseThrow();
      double shock = shocks.getOrDefault(before.instrument(), 0.0);
      MarketInputs shocked = shockedInputs.computeIfAbsent(before.market(), m -> shocked(m, shock));
      Valuation after = Valuer.revalue(before, instrument.tier(), shocked);
      results.add(new PledgeResult(shock, before, after));
      banks.computeIfAbsent(before.bank(), BankAccumulator::new).add(before, after);
    }
    return new Result(
        shocks, results, banks.values().stream().map(BankAccumulator::result).toList());
  }

  /** The mark moved by the shock and rounded to the tick, like any mark. */
  private static MarketInputs shocked(MarketInputs m, double shock) {
    return m.atMark(m.markPrice() * (1 + shock));
  }

  private static final class BankAccumulator {
    private final String bank;
    private final Map<CoverageStatus, Integer> byStatus = new EnumMap<>(CoverageStatus.class);
    private int pledges;
    private int breaches;
    private long topUpCents;
    private long baseCents;
    private long stressedCents;

    BankAccumulator(String bank) {
      this.bank = bank;
      for (CoverageStatus status : CoverageStatus.values()) {
        byStatus.put(status, 0);
      }
    }

    /** A breach is a position the shock puts below its margin-call line. */
    void add(Valuation before, Valuation after) {
      pledges++;
      byStatus.merge(after.status(), 1, Integer::sum);
      if (after.status().worseThan(CoverageStatus.WARNING)) {
        breaches++;
      }
      topUpCents += after.topUpFen();
      baseCents += before.marketValueFen();
      stressedCents += after.marketValueFen();
    }

    BankResult result() {
      return new BankResult(
          bank, pledges, Map.copyOf(byStatus), breaches, topUpCents, baseCents, stressedCents);
    }
  }
}
