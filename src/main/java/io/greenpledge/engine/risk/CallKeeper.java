package io.greenpledge.engine.risk;

import io.greenpledge.alerts.event.Alert;
import io.greenpledge.alerts.event.AlertEvent;
import io.greenpledge.alerts.event.Cause;
import io.greenpledge.book.DisposalRepository;
import io.greenpledge.book.MarginCallRepository;
import io.greenpledge.calls.CallState;
import io.greenpledge.calls.MarginCall;
import io.greenpledge.market.TradingCalendar;
import io.greenpledge.valuation.CoverageStatus;
import io.greenpledge.valuation.Exact;
import io.greenpledge.valuation.Transition;
import io.greenpledge.valuation.Valuation;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Margin calls as the risk engine drives them: a call opens when a pledge enters MARGIN_CALL or
 * DISPOSAL; it is MET when a change to the book lifts the pledge out of those, CURED when the
 * market does, PARTIALLY_MET when a change to the book lowers the top-up without lifting it; it
 * falls OVERDUE when its due time passes, ESCALATED when the pledge is (or falls) in DISPOSAL then
 * or later, which opens a disposal case; a released pledge's call is RESOLVED. Each move is stored,
 * then told as an alert. Confined to the engine's event loop; replicas race harmlessly (opening is
 * unique per pledge, moves are guarded by the expected state).
 */
final class CallKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(CallKeeper.class);

  private final MarginCallRepository calls;
  private final TradingCalendar calendar;
  private final java.util.function.Function<String, Future<Integer>> dueDays;
  private final Consumer<Alert> alerts;

  /** Each pledge's call work runs in order: a cure never overtakes the opening it cures. */
  private final java.util.Map<String, Future<Void>> tails = new java.util.HashMap<>();

  /**
   * @param dueDays a bank's trading days to meet a call (its policy; due at the close of the last)
   */
  CallKeeper(
      MarginCallRepository calls,
      TradingCalendar calendar,
      java.util.function.Function<String, Future<Integer>> dueDays,
      Consumer<Alert> alerts) {
    this.calls = calls;
    this.calendar = calendar;
    this.dueDays = dueDays;
    this.alerts = alerts;
  }

  /** A pledge's status changed. */
  void onTransition(Transition t, Cause cause, Instant now) {
    boolean wasCalled = called(t.from());
    boolean isCalled = called(t.to());
    if (!wasCalled && isCalled) {
      inOrder(t.pledge().id(), () -> open(t.valuation(), t.to(), cause, now));
    } else if (wasCalled && !isCalled) {
      CallState to = Cause.BOOK.equals(cause.kind()) ? CallState.MET : CallState.CURED;
      liveThen(t.pledge().id(), call -> move(call, to, amount(t.valuation()), cause, now, null));
    }
  }

  private void inOrder(String pledgeId, java.util.function.Supplier<Future<Void>> work) {
    Future<Void> next =
        tails.getOrDefault(pledgeId, Future.succeededFuture()).transform(done -> work.get());
    tails.put(pledgeId, next);
    next.onComplete(
        done -> {
          if (tails.get(pledgeId) == next) {
            tails.remove(pledgeId);
          }
        });
  }

  /** A change to the book that left the pledge called: a lower top-up is a call partly met. */
  void onBookChange(Valuation v, Cause cause, Instant now) {
    if (!called(v.status())) {
      return;
    }
    BigDecimal due = amount(v);
    liveThen(
        v.pledgeId(),
        call ->
            due.compareTo(call.amountDue()) < 0 && CallState.RUNNING.contains(call.state())
                ? move(call, CallState.PARTIALLY_MET, due, cause, now, null)
                : Future.<Void>succeededFuture());
  }

  /** The pledge was released: its call has nothing left to ask. */
  void onRelease(String pledgeId, Cause cause, Instant now) {
    liveThen(pledgeId, call -> move(call, CallState.RESOLVED, null, cause, now, "pledge released"));
  }

  /**
   * Calls whose due time passed: overdue, or escalated to disposal (which opens a disposal case);
   * and disposal cases whose forbearance ended, open again.
   */
  Future<Void> sweep(Instant now) {
    DisposalRepository.reopenExpired(calls.pool(), now)
        .onFailure(e -> LOG.warn("forbearances not swept: {}", e.toString()));
    return calls
        .due(now)
        .map(
            due -> {
              due.forEach(
                  d ->
                      inOrder(
                          d.call().pledgeId(),
                          () ->
                              move(
                                  d.call(),
                                  d.disposal() ? CallState.ESCALATED : CallState.OVERDUE,
                                  null,
                                  Cause.clock(),
                                  now,
                                  "due at " + d.call().dueAt())));
              return (Void) null;
            })
        .onFailure(e -> LOG.warn("margin calls not swept: {}", e.toString()));
  }

  private Future<Void> open(Valuation v, CoverageStatus status, Cause cause, Instant now) {
    BigDecimal quantity =
        v.topUpQuantityUnits() == Valuation.UNDEFINED
            ? null
            : Exact.decimal(v.topUpQuantityUnits(), 4);
    return dueDays
        .apply(v.bank())
        .compose(
            days ->
                calls.open(
                    v.bank(),
                    v.pledgeId(),
                    v.instrument(),
                    status.name(),
                    amount(v),
                    quantity,
                    now,
                    dueAt(now, days),
                    cause.kind()))
        .onSuccess(opened -> opened.ifPresent(call -> tell(call, null, cause, now)))
        .onFailure(e -> LOG.warn("margin call for {} not opened: {}", v.pledgeId(), e.toString()))
        .mapEmpty();
  }

  private Future<Void> move(
      MarginCall call, CallState to, BigDecimal amount, Cause cause, Instant now, String reason) {
    return calls
        .move(call, to, amount, now, cause.kind(), Optional.empty(), reason)
        .onSuccess(moved -> moved.ifPresent(m -> tell(m, call.state(), cause, now)))
        .onFailure(e -> LOG.warn("margin call {} not moved to {}: {}", call.id(), to, e.toString()))
        .mapEmpty();
  }

  /** Reads the pledge's live call and works on it, after the pledge's earlier call work. */
  private void liveThen(
      String pledgeId, java.util.function.Function<MarginCall, Future<Void>> then) {
    inOrder(
        pledgeId,
        () ->
            calls
                .live(pledgeId)
                .compose(live -> live.map(then).orElse(Future.succeededFuture()))
                .onFailure(
                    e -> LOG.warn("margin call of {} not worked: {}", pledgeId, e.toString()))
                .mapEmpty());
  }

  /** A desk's move, stored by the API: told like the engine's own. */
  void onDeskMove(MarginCall call, CallState from, Cause cause, Instant now) {
    tell(call, from, cause, now);
  }

  private void tell(MarginCall call, CallState from, Cause cause, Instant now) {
    alerts.accept(
        Alert.pending(
            call.bank(),
            "call:" + call.id() + ":" + call.state() + ":v" + call.version(),
            call.pledgeId(),
            call.instrument(),
            new AlertEvent.CallChanged(
                call.id(),
                from == null ? null : from.name(),
                call.state().name(),
                call.amountDue(),
                call.dueAt(),
                cause),
            now));
  }

  /** The close of the {@code days}-th trading day after today. */
  Instant dueAt(Instant now, int days) {
    LocalDate day = calendar.tradingDay(now);
    for (int i = 0; i < days; i++) {
      day = calendar.nextTradingDay(day);
    }
    return day.atTime(TradingCalendar.CLOSE).atZone(TradingCalendar.ZONE).toInstant();
  }

  private static boolean called(CoverageStatus status) {
    return status == CoverageStatus.MARGIN_CALL || status == CoverageStatus.DISPOSAL;
  }

  private static BigDecimal amount(Valuation v) {
    return Exact.decimal(v.topUpFen(), 2);
  }
}
