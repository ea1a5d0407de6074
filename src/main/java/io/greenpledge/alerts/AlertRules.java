package io.greenpledge.alerts;

import io.greenpledge.alerts.event.Alert;
import io.greenpledge.alerts.event.AlertEvent;
import io.greenpledge.alerts.event.Cause;
import io.greenpledge.market.Quote;
import io.greenpledge.valuation.Exact;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.Transition;
import io.greenpledge.valuation.Valuation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Turns what the risk engine saw into alerts, with idempotency keys that name the event itself
 * (pledge version, tick behind the mark), so every replica and every retry produces the same key
 * for the same event. Figures are taken exactly from the valuation's units, not through doubles.
 */
public final class AlertRules {

  private AlertRules() {}

  public static Alert statusChange(Transition t, Instant now, Cause cause) {
    Valuation v = t.valuation();
    String key =
        "status:"
            + t.pledge().id()
            + ":v"
            + t.pledge().version()
            + ":"
            + t.from()
            + ">"
            + t.to()
            + ":"
            + v.market().tickSource()
            + ":"
            + v.market().tickSeq()
            + ":"
            + v.market().stale();
    AlertEvent event =
        new AlertEvent.StatusChanged(
            t.from().name(),
            t.to().name(),
            t.worsened(),
            t.pledge().loanId(),
            t.pledge().borrower(),
            micro(v.coverageMicro()),
            micro(v.ltvMicro()),
            Exact.decimal(v.marketValueFen(), 2),
            Exact.decimal(v.outstandingFen(), 2),
            Exact.decimal(v.cashMarginFen(), 2),
            Exact.decimal(v.topUpFen(), 2),
            v.topUpQuantityUnits() == Valuation.UNDEFINED ? null : quantity(v.topUpQuantityUnits()),
            Exact.decimal(v.market().markCents(), 2),
            v.market().basis().name(),
            cause);
    return Alert.pending(t.pledge().bank(), key, t.pledge().id(), v.instrument(), event, now);
  }

  public static Alert staleness(String bank, Quote quote, int pledges, Instant now) {
    BigDecimal mark =
        Double.isFinite(quote.mark())
            ? BigDecimal.valueOf(quote.mark()).setScale(2, RoundingMode.HALF_EVEN)
            : null;
    AlertEvent event =
        quote.stale()
            ? new AlertEvent.WentStale(quote.lastTickAt(), mark, quote.basis().name(), pledges)
            : new AlertEvent.TradedAgain(quote.lastTickAt(), mark, quote.basis().name(), pledges);
    String key =
        event.kind().name().toLowerCase()
            + ":"
            + quote.instrument()
            + ":"
            + bank
            + ":"
            + quote.lastTickSource()
            + ":"
            + quote.lastTickSeq();
    return Alert.pending(bank, key, null, quote.instrument(), event, now);
  }

  /** Told to the pledge's own bank without naming the other bank or its pledge: isolation holds. */
  public static Alert doublePledge(Pledge own, Pledge other, Instant now) {
    String key = "double:" + own.certificate() + ":" + own.id() + ":" + other.id();
    AlertEvent event =
        new AlertEvent.PledgedTwice(
            own.certificate(), own.loanId(), own.bank().equals(other.bank()));
    return Alert.pending(own.bank(), key, own.id(), own.instrument(), event, now);
  }

  /**
   * Up to 4 decimals, without trailing zeros (as a valuation shows it), never in exponent notation.
   */
  private static BigDecimal quantity(long units) {
    return new BigDecimal(Exact.decimal(units, 4).stripTrailingZeros().toPlainString());
  }

  private static BigDecimal micro(long value) {
    return value == Valuation.UNDEFINED ? null : Exact.decimal(value, 6);
  }
}
