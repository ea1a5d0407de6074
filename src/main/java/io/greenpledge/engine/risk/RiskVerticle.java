package io.greenpledge.engine.risk;

import io.greenpledge.alerts.AlertRules;
import io.greenpledge.alerts.AlertStore;
import io.greenpledge.alerts.AlertWriter;
import io.greenpledge.alerts.event.Cause;
import io.greenpledge.book.PledgeRepository;
import io.greenpledge.book.ValuationRepository;
import io.greenpledge.engine.Bus;
import io.greenpledge.engine.PledgeChange;
import io.greenpledge.engine.ValuationBatch;
import io.greenpledge.engine.market.QuoteBoard;
import io.greenpledge.market.Instruments;
import io.greenpledge.market.Quote;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.ops.Metrics;
import io.greenpledge.valuation.BankTerms;
import io.greenpledge.valuation.CoverageStatus;
import io.greenpledge.valuation.Money;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.PledgeBook;
import io.greenpledge.valuation.Transition;
import io.greenpledge.valuation.Valuation;
import io.greenpledge.wire.ValuationJson;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The risk engine: owns the pledge book, revalues the pledges of an instrument on each of its
 * quotes, turns status changes, stale/fresh changes and double pledges into alerts, and records
 * valuation history. Persistence is batched on timers, never per valuation.
 */
public final class RiskVerticle extends VerticleBase {

  private static final long FLUSH_MILLIS = 200;
  private static final int HISTORY_BATCH = 5000;

  /** Everything the engine reads and writes. */
  public record Dependencies(
      Instruments catalog,
      QuoteBoard quotes,
      PledgeBook book,
      PledgeRepository pledges,
      AlertStore alerts,
      ValuationRepository history,
      List<PledgeRepository.Stored> initialBook,
      Duration snapshotInterval,
      Clock clock,
      Metrics metrics,
      String nodeId,
      boolean clustered,
      Calls calls,
      java.util.function.Supplier<Future<Map<String, io.greenpledge.limits.Limits>>> limits) {}

  /**
   * Margin calls: where they are kept, the calendar their due time counts on, and how many trading
   * days a borrower has.
   *
   * @param dueDays a bank's trading days to meet a call: its own policy, else the default
   */
  public record Calls(
      io.greenpledge.book.MarginCallRepository repository,
      io.greenpledge.market.TradingCalendar calendar,
      java.util.function.Function<String, Future<Integer>> dueDays) {

    /** The same days for every bank. */
    public Calls(
        io.greenpledge.book.MarginCallRepository repository,
        io.greenpledge.market.TradingCalendar calendar,
        int dueDays) {
      this(repository, calendar, bank -> Future.succeededFuture(dueDays));
    }
  }

  /** How often calls are looked at for a due time that passed. */
  static final long CALL_SWEEP_MILLIS = 10_000;

  private CallKeeper calls;

  /** How often pledges by status and minimum coverage by bank are recomputed for the metrics. */
  private static final long STATS_MILLIS = 5000;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RiskVerticle.class);

  /** How often the banks' limits are read and their terms (floors, add-ons) recomputed. */
  static final long TERMS_MILLIS = 5000;

  /** Each pledge's bank terms, where a bank's limits give it any; replaced whole. */
  private volatile Map<String, BankTerms> terms = Map.of();

  private boolean refreshingTerms;

  /** The concentration breaches of the last look, by bank, limit and key. */
  private Map<String, io.greenpledge.limits.Concentration.Breach> breached = Map.of();

  private final Dependencies deps;
  private final PledgeBook book;
  private final Map<String, CoverageStatus> unsavedStatuses = new HashMap<>();
  private List<ValuationRepository.Entry> unsavedHistory = new ArrayList<>();
  private AlertWriter alertWriter;
  private boolean flushing;

  public RiskVerticle(Dependencies deps) {
    this.deps = deps;
    this.book = deps.book();
  }

  @Override
  public Future<?> start() {
    alertWriter =
        new AlertWriter(deps.alerts(), deps.metrics(), alert -> Bus.ALERTS.publish(vertx, alert));
    calls =
        new CallKeeper(
            deps.calls().repository(),
            deps.calls().calendar(),
            deps.calls().dueDays(),
            alertWriter::add);
    vertx.setPeriodic(CALL_SWEEP_MILLIS, id -> calls.sweep(deps.clock().instant()));
    Bus.CALL_MOVES.subscribe(
        vertx,
        moved ->
            calls.onDeskMove(
                moved.call(),
                io.greenpledge.calls.CallState.valueOf(moved.from()),
                Cause.desk(moved.actor(), moved.requestId()),
                deps.clock().instant()));
    vertx.setPeriodic(STATS_MILLIS, id -> publishBookStats());
    book.useTerms(p -> terms.getOrDefault(p.id(), BankTerms.NONE));
    vertx.setPeriodic(TERMS_MILLIS, id -> refreshTerms());
    loadBook();
    refreshTerms();
    publishBookStats();
    Bus.QUOTES.subscribe(vertx, this::onQuote);
    Bus.STALENESS.subscribe(vertx, quote -> staleChanged(quote, deps.clock().instant()));
    vertx.setPeriodic(FLUSH_MILLIS, id -> flush());
    vertx.setPeriodic(deps.snapshotInterval().toMillis(), id -> snapshot());
    Future<Void> local = Bus.BOOK.serve(vertx, this::onPledgeChange).completion();
    if (!deps.clustered()) {
      return local;
    }
    return Future.all(
        local, Bus.CLUSTER_BOOK.subscribe(vertx, this::onPeerPledgeChange).completion());
  }

  @Override
  public Future<?> stop() {
    return flush();
  }

  private void loadBook() {
    Instant now = deps.clock().instant();
    LocalDate today = now.atZone(TradingCalendar.ZONE).toLocalDate();
    for (PledgeRepository.Stored stored : deps.initialBook()) {
      Quote quote = deps.quotes().get(stored.pledge().instrument()).orElseThrow();
      book.upsert(stored.pledge(), quote, stored.status(), now, today)
          .ifPresent(t -> transitioned(t, now, marketCause(t)));
      book.valuation(stored.pledge().id())
          .ifPresent(
              v -> {
                if (stored.status() == null) {
                  unsavedStatuses.put(v.pledgeId(), v.status());
                }
              });
    }
  }

  private void onQuote(Quote quote) {
    Instant now = deps.clock().instant();
    LocalDate today = now.atZone(TradingCalendar.ZONE).toLocalDate();
    // the batch names the pledges revalued; each hub reads those of the banks its desks see
    PledgeBook.Revaluation revaluation = book.revalue(quote, now, today);
    int revalued = revaluation.revalued().size();
    if (quote.lastTickAt() != null && revalued > 0) {
      deps.metrics().tickToValuation(deps.clock().millis() - quote.lastTickAt().toEpochMilli());
    }
    revaluation.transitions().forEach(t -> transitioned(t, now, marketCause(t)));
    if (revalued > 0) {
      Bus.VALUATIONS.publish(vertx, new ValuationBatch(quote.instrument(), revaluation.revalued()));
    }
  }

  private void staleChanged(Quote quote, Instant now) {
    Map<String, Integer> pledgesByBank = new HashMap<>();
    book.pledgesOn(quote.instrument()).forEach(p -> pledgesByBank.merge(p.bank(), 1, Integer::sum));
    pledgesByBank.forEach(
        (bank, count) -> alertWriter.add(AlertRules.staleness(bank, quote, count, now)));
  }

  private void transitioned(Transition t, Instant now, Cause cause) {
    alertWriter.add(AlertRules.statusChange(t, now, cause));
    calls.onTransition(t, cause, now);
    unsavedStatuses.put(t.pledge().id(), t.to());
    record(t.valuation(), "STATUS_CHANGE");
  }

  /** A status change the market made: the tick behind the mark names it. */
  private static Cause marketCause(Transition t) {
    var market = t.valuation().market();
    return Cause.market(market.tickSource(), market.tickSeq());
  }

  private void onPledgeChange(Message<PledgeChange> message) {
    PledgeChange change = message.body();
    Pledge pledge = change.pledge();
    Instant now = deps.clock().instant();
    Quote quote = deps.quotes().get(pledge.instrument()).orElseThrow();
    Optional<Transition> transition =
        book.upsert(pledge, quote, null, now, now.atZone(TradingCalendar.ZONE).toLocalDate());
    Cause cause = Cause.book(change.actor(), change.requestId());
    transition.ifPresent(t -> transitioned(t, now, cause));
    Optional<Valuation> valuation =
        pledge.active() ? book.valuation(pledge.id()) : Optional.empty();
    if (!pledge.active()) {
      calls.onRelease(pledge.id(), cause, now);
    } else if (transition.isEmpty()) {
      valuation.ifPresent(v -> calls.onBookChange(v, cause, now));
    }
    if (valuation.isPresent()) {
      unsavedStatuses.put(pledge.id(), valuation.get().status());
      record(valuation.get(), change.reason().name());
      Bus.VALUATIONS.publish(
          vertx, new ValuationBatch(pledge.instrument(), List.of(valuation.get())));
    }
    for (Pledge other : change.conflicts()) {
      alertWriter.add(AlertRules.doublePledge(pledge, other, now));
      alertWriter.add(AlertRules.doublePledge(other, pledge, now));
    }
    message.reply(new PledgeChange.Result(valuation));
    if (deps.clustered()) {
      Bus.CLUSTER_BOOK.publish(
          vertx,
          new io.vertx.core.json.JsonObject()
              .put("origin", deps.nodeId())
              .put("pledgeId", pledge.id())
              .put("actor", change.actor())
              .put("requestId", change.requestId()));
    }
  }

  /**
   * Another node changed a pledge: value the stored version here too, so every node's book agrees.
   */
  private void onPeerPledgeChange(io.vertx.core.json.JsonObject change) {
    if (deps.nodeId().equals(change.getString("origin"))) {
      return;
    }
    deps.pledges()
        .find(change.getString("pledgeId"))
        .onSuccess(
            found ->
                found.ifPresent(
                    pledge -> {
                      Instant now = deps.clock().instant();
                      Quote quote = deps.quotes().get(pledge.instrument()).orElseThrow();
                      book.upsert(
                              pledge,
                              quote,
                              null,
                              now,
                              now.atZone(TradingCalendar.ZONE).toLocalDate())
                          .ifPresent(
                              t ->
                                  transitioned(
                                      t,
                                      now,
                                      Cause.book(
                                          change.getString("actor"),
                                          change.getString("requestId"))));
                      book.valuation(pledge.id())
                          .ifPresent(
                              v ->
                                  Bus.VALUATIONS.publish(
                                      vertx, new ValuationBatch(pledge.instrument(), List.of(v))));
                    }));
  }

  /**
   * Reads every bank's limits and recomputes the terms of its pledges: the schedule's haircut floor
   * for the instrument, and the concentration add-on for the pledges in a bucket over a limit
   * (measured on the model's eligible value, so the add-on never feeds back into it). Pledges whose
   * terms changed are revalued and published.
   */
  private void refreshTerms() {
    if (refreshingTerms) {
      return;
    }
    refreshingTerms = true;
    deps.limits()
        .get()
        .onComplete(
            read -> {
              refreshingTerms = false;
              if (read.failed()) {
                LOG.warn("bank limits not read: {}", read.cause().toString());
                return;
              }
              applyTerms(read.result());
            });
  }

  private void applyTerms(Map<String, io.greenpledge.limits.Limits> byBank) {
    if (byBank.isEmpty() && terms.isEmpty() && breached.isEmpty()) {
      return; // no bank has limits, nothing held terms before: no pass over the book
    }
    Map<String, java.math.BigDecimal> adv20 = new HashMap<>();
    deps.quotes()
        .all()
        .forEach(q -> adv20.put(q.instrument(), java.math.BigDecimal.valueOf(q.adv20())));
    Map<String, List<io.greenpledge.limits.Concentration.Holding>> holdings = new HashMap<>();
    for (Valuation v : book.valuations()) {
      if (byBank.containsKey(v.bank())) {
        book.pledge(v.pledgeId())
            .ifPresent(
                p ->
                    holdings
                        .computeIfAbsent(v.bank(), b -> new ArrayList<>())
                        .add(io.greenpledge.limits.Concentration.Holding.of(p, v)));
      }
    }
    Map<String, BankTerms> next = new HashMap<>();
    Map<String, io.greenpledge.limits.Concentration.Breach> nowBreached = new HashMap<>();
    holdings.forEach(
        (bank, held) -> {
          io.greenpledge.limits.Limits limits = byBank.get(bank);
          java.util.Set<String> over = new java.util.HashSet<>();
          io.greenpledge.limits.Concentration.breaches(limits, held, adv20)
              .forEach(
                  b -> {
                    over.addAll(b.pledgeIds());
                    nowBreached.put(bank + "|" + b.limit() + "|" + b.key(), b);
                  });
          long addOn = micro(limits.concentrationAddOn());
          for (io.greenpledge.limits.Concentration.Holding h : held) {
            long floor =
                java.util.Optional.ofNullable(limits.haircutFloors().get(h.instrument()))
                    .map(RiskVerticle::micro)
                    .orElse(0L);
            BankTerms t = new BankTerms(floor, over.contains(h.pledgeId()) ? addOn : 0);
            if (!t.equals(BankTerms.NONE)) {
              next.put(h.pledgeId(), t);
            }
          }
        });
    tellConcentration(nowBreached);
    java.util.Set<String> changed = new java.util.HashSet<>(terms.keySet());
    changed.addAll(next.keySet());
    Map<String, BankTerms> before = terms;
    changed.removeIf(id -> java.util.Objects.equals(before.get(id), next.get(id)));
    terms = Map.copyOf(next);
    if (changed.isEmpty()) {
      return;
    }
    Instant now = deps.clock().instant();
    java.time.LocalDate today = now.atZone(TradingCalendar.ZONE).toLocalDate();
    Map<String, List<Valuation>> valued = new HashMap<>();
    for (String id : changed) {
      book.pledge(id)
          .ifPresent(
              pledge ->
                  deps.quotes()
                      .get(pledge.instrument())
                      .ifPresent(
                          quote -> {
                            book.upsert(pledge, quote, null, now, today);
                            book.valuation(id)
                                .ifPresent(
                                    v -> {
                                      record(v, "LIMITS");
                                      valued
                                          .computeIfAbsent(
                                              pledge.instrument(), i -> new ArrayList<>())
                                          .add(v);
                                    });
                          }));
    }
    valued.forEach(
        (instrument, valuations) ->
            Bus.VALUATIONS.publish(vertx, new ValuationBatch(instrument, valuations)));
  }

  /**
   * A breach that appeared, or one that cleared, since the last look is an alert, at most one of
   * each per breach and trading day (the alert's key carries the day): a restart re-reads the
   * breaches without telling them twice the same day.
   */
  private void tellConcentration(Map<String, io.greenpledge.limits.Concentration.Breach> now) {
    Instant at = deps.clock().instant();
    String day = at.atZone(TradingCalendar.ZONE).toLocalDate().toString();
    now.forEach(
        (id, b) -> {
          if (!breached.containsKey(id)) {
            concentrationAlert(id, b, true, at, day);
          }
        });
    breached.forEach(
        (id, b) -> {
          if (!now.containsKey(id)) {
            concentrationAlert(id, b, false, at, day);
          }
        });
    breached = now;
  }

  private void concentrationAlert(
      String id, io.greenpledge.limits.Concentration.Breach b, boolean on, Instant at, String day) {
    String bank = id.substring(0, id.indexOf('|'));
    boolean byInstrument =
        b.limit().equals("maxInstrumentShare") || b.limit().equals("maxLiquidationDays");
    alertWriter.add(
        io.greenpledge.alerts.event.Alert.pending(
            bank,
            "concentration:" + b.limit() + ":" + b.key() + ":" + (on ? "on" : "off") + ":" + day,
            null,
            byInstrument ? b.key() : null,
            new io.greenpledge.alerts.event.AlertEvent.ConcentrationChanged(
                b.limit(), b.key(), b.figure(), b.max(), on, on ? b.pledgeIds() : List.of()),
            at));
  }

  private static long micro(java.math.BigDecimal value) {
    return value.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
  }

  private void record(Valuation v, String reason) {
    unsavedHistory.add(
        new ValuationRepository.Entry(
            v.pledgeId(),
            v.bank(),
            v.valuedAt(),
            reason,
            v.status().name(),
            v.coverage(),
            Money.ofCents(Money.cents(v.marketValue())),
            ValuationJson.valuation(v, deps.catalog().find(v.instrument()).orElseThrow())));
  }

  /** Periodic snapshots make the history show a pledge's path, not only its status changes. */
  private void snapshot() {
    book.forEachValuation(v -> record(v, "SNAPSHOT"));
  }

  /** Writes queued alerts, history and statuses; failures stay queued for the next round. */
  private Future<Void> flush() {
    if (flushing) {
      return Future.succeededFuture();
    }
    flushing = true;
    List<ValuationRepository.Entry> history =
        unsavedHistory.size() <= HISTORY_BATCH
            ? unsavedHistory
            : new ArrayList<>(unsavedHistory.subList(0, HISTORY_BATCH));
    unsavedHistory =
        unsavedHistory.size() <= HISTORY_BATCH
            ? new ArrayList<>()
            : new ArrayList<>(unsavedHistory.subList(HISTORY_BATCH, unsavedHistory.size()));
    Map<String, CoverageStatus> statuses = new HashMap<>(unsavedStatuses);
    unsavedStatuses.clear();
    // History and statuses first: once an alert is out, the history behind it is stored too.
    return deps.history()
        .append(history)
        .onFailure(e -> unsavedHistory.addAll(0, history))
        .transform(
            h ->
                deps.pledges()
                    .saveStatuses(statuses)
                    .onFailure(e -> statuses.forEach(unsavedStatuses::putIfAbsent)))
        .transform(s -> alertWriter.flush())
        .onComplete(done -> flushing = false)
        .mapEmpty();
  }

  private void publishBookStats() {
    Map<CoverageStatus, Long> byStatus = new java.util.EnumMap<>(CoverageStatus.class);
    Map<String, Double> minCoverage = new HashMap<>();
    for (CoverageStatus status : CoverageStatus.values()) {
      byStatus.put(status, 0L);
    }
    for (Valuation v : book.valuations()) {
      byStatus.merge(v.status(), 1L, Long::sum);
      minCoverage.merge(v.bank(), v.coverage(), Math::min);
    }
    byStatus.forEach(
        (status, count) ->
            deps.metrics()
                .set(
                    Metrics.PLEDGES,
                    io.micrometer.core.instrument.Tags.of("status", status.name()),
                    count));
    minCoverage.forEach(
        (bank, coverage) ->
            deps.metrics()
                .set(
                    Metrics.MIN_COVERAGE,
                    io.micrometer.core.instrument.Tags.of("bank", bank),
                    Double.isInfinite(coverage) ? 1000 : coverage));
  }
}
