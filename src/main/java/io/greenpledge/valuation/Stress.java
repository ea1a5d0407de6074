package io.greenpledge.valuation;

import io.greenpledge.market.Instrument;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.LiquidityTier;
import io.greenpledge.market.Quote;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
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

  /**
   * The worst first: the lowest stressed coverage ({@link Valuation#UNDEFINED}, nothing
   * outstanding, is the highest), ties by pledge id.
   */
  public static final Comparator<PledgeResult> WORST_FIRST =
      (a, b) ->
          worstFirst(
              a.stressed().coverageMicro(),
              a.base().pledgeId(),
              b.stressed().coverageMicro(),
              b.base().pledgeId());

  /** {@link #WORST_FIRST} on a position's stressed coverage and id, for one not yet built. */
  private static int worstFirst(long coverage, String id, long otherCoverage, String otherId) {
    int byCoverage = Long.compare(coverage, otherCoverage);
    return byCoverage != 0 ? byCoverage : id.compareTo(otherId);
  }

  /** What the scenario means for one bank. Money in fen so the totals are exact. */
  public record BankResult(
      String bank,
      int pledges,
      Map<CoverageStatus, Integer> byStatus,
      int breaches,
      long topUpCents,
      long marketValueCents,
      long stressedMarketValueCents) {}

  /**
   * The whole answer: {@code worst} holds the positions the scenario leaves worst, worst first
   * ({@link #WORST_FIRST}), at most as many as asked for.
   */
  public record Result(
      Map<String, Double> shocks, List<PledgeResult> worst, List<BankResult> banks) {

    /** The positions stressed: every pledge in scope, counted by bank. */
    public int stressed() {
      return banks.stream().mapToInt(BankResult::pledges).sum();
    }
  }

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

  /**
   * Stresses the current valuations {@code base} (already filtered to the caller's scope), read
   * once as they are iterated, and keeps the {@code worst} worst positions. Memory follows {@code
   * worst}, not the scope: a million pledges are revalued into two scratch arrays, and a valuation
   * is built only for a position that enters the worst.
   */
  public static Result run(
      Iterable<Valuation> base,
      Map<String, Quote> quotes,
      Instruments catalog,
      Scenario scenario,
      int worst) {
    Map<String, Double> shocks = new TreeMap<>();
    for (Instrument instrument : catalog.all()) {
      Quote quote = quotes.get(instrument.id());
      if (quote != null) {
        shocks.put(instrument.id(), shockFor(instrument, quote, scenario));
      }
    }
    // each market is shocked once: pledges valued alike share it, found by its values, and by
    // identity while the pledges come one market after another (those one quote revalued share
    // one object)
    Map<MarketInputs, Shocked> shockedMarkets = new HashMap<>();
    Map<String, BankAccumulator> banks = new HashMap<>();
    // the best of the kept at the head, to be dropped when a worse one comes
    PriorityQueue<PledgeResult> kept = new PriorityQueue<>(worst + 1, WORST_FIRST.reversed());
    long[] inputs = new long[Valuer.INPUTS];
    long[] figures = new long[Valuer.FIGURES];
    MarketInputs lastMarket = null;
    Shocked market = null;
    for (Valuation before : base) {
      if (before.market() != lastMarket) {
        lastMarket = before.market();
        market = shockedMarkets.get(lastMarket);
        if (market == null) {
          Instrument instrument = catalog.find(lastMarket.instrument()).orElseThrow();
          double shock = shocks.getOrDefault(instrument.id(), 0.0);
          market = new Shocked(instrument.tier(), shock, shocked(lastMarket, shock));
          shockedMarkets.put(lastMarket, market);
        }
      }
      double shock = market.shock();
      MarketInputs shocked = market.inputs();
      LiquidityTier tier = market.tier();
      CoverageStatus status = Valuer.revalue(before, tier, shocked, inputs, figures);
      banks.computeIfAbsent(before.bank(), BankAccumulator::new).add(before, status, figures);
      if (worst > 0 && (kept.size() < worst || worseThanBestKept(figures, before, kept.peek()))) {
        Valuation after =
            Valuer.valuation(before.position(), figures, 0, status, shocked, before.valuedAt());
        kept.add(new PledgeResult(shock, before, after));
        if (kept.size() > worst) {
          kept.poll();
        }
      }
    }
    List<PledgeResult> worstFirst = new ArrayList<>(kept);
    worstFirst.sort(WORST_FIRST);
    return new Result(
        shocks,
        worstFirst,
        banks.values().stream()
            .sorted(Comparator.comparing(b -> b.bank))
            .map(BankAccumulator::result)
            .toList());
  }

  /**
   * Whether the figures just worked out for {@code before} come before {@code best} (worst first).
   */
  private static boolean worseThanBestKept(long[] figures, Valuation before, PledgeResult best) {
    return worstFirst(
            figures[Valuer.COVERAGE],
            before.pledgeId(),
            best.stressed().coverageMicro(),
            best.base().pledgeId())
        < 0;
  }

  /** A market the scenario shocked: the instrument's tier, the shock, the inputs after it. */
  private record Shocked(LiquidityTier tier, double shock, MarketInputs inputs) {}

  /** The mark moved by the shock and rounded to the tick, like any mark. */
  private static MarketInputs shocked(MarketInputs m, double shock) {
    return m.atMark(m.markPrice() * (1 + shock));
  }

  private static final class BankAccumulator {
    private final String bank;
    private final int[] byStatus = new int[CoverageStatus.values().length];
    private int pledges;
    private int breaches;
    private long topUpCents;
    private long baseCents;
    private long stressedCents;

    BankAccumulator(String bank) {
      this.bank = bank;
    }

    /** A breach is a position the shock puts below its margin-call line. */
    void add(Valuation before, CoverageStatus stressedStatus, long[] stressed) {
      pledges++;
      byStatus[stressedStatus.ordinal()]++;
      if (stressedStatus.worseThan(CoverageStatus.WARNING)) {
        breaches++;
      }
      topUpCents += stressed[Valuer.TOP_UP];
      baseCents += before.marketValueFen();
      stressedCents += stressed[Valuer.MARKET_VALUE];
    }

    BankResult result() {
      return new BankResult(
          bank, pledges, statuses(), breaches, topUpCents, baseCents, stressedCents);
    }

    private Map<CoverageStatus, Integer> statuses() {
      Map<CoverageStatus, Integer> counted = new EnumMap<>(CoverageStatus.class);
      for (CoverageStatus status : CoverageStatus.values()) {
        counted.put(status, byStatus[status.ordinal()]);
      }
      return java.util.Collections.unmodifiableMap(counted); // in the order of the statuses
    }
  }
}
