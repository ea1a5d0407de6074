package io.greenpledge.engine;

import io.greenpledge.book.Alert;
import io.greenpledge.market.Quote;
import io.greenpledge.valuation.Pledge;
import io.greenpledge.valuation.Transition;
import io.greenpledge.valuation.Valuation;
import io.greenpledge.wire.Wire;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Builds alerts with idempotency keys that name the event itself (pledge version, tick behind the
 * mark), so every replica and every retry produces the same key for the same event.
 */
final class Alerts {

  private Alerts() {}

  static Alert statusChange(Transition t, Instant now) {
    Valuation v = t.valuation();
    String key = "status:" + t.pledge().id() + ":v" + t.pledge().version() + ":" + t.from() + ">" + t.to() + ":"
        + v.market().tickSource() + ":" + v.market().tickSeq() + ":" + v.market().stale();
    JsonObject payload = new JsonObject()
        .put("from", t.from().name())
        .put("to", t.to().name())
        .put("direction", t.worsened() ? "WORSENED" : "IMPROVED")
        .put("loanId", t.pledge().loanId())
        .put("borrower", t.pledge().borrower())
        .put("coverage", Wire.ratio(v.coverage()))
        .put("ltv", Wire.ratio(v.ltv()))
        .put("marketValue", Wire.money(v.marketValue()))
        .put("outstanding", Wire.money(v.outstanding()))
        .put("topUp", new JsonObject().put("amount", Wire.money(v.topUpAmount()))
            .put("quantity", Wire.ratio(v.topUpQuantity())))
        .put("mark", Wire.money(v.mark()))
        .put("basis", v.market().basis().name());
    return Alert.pending(t.pledge().bank(), Alert.Kind.STATUS_CHANGE, key, t.pledge().id(), v.instrument(), payload,
        now);
  }

  static Alert staleness(String bank, Quote quote, int pledges, Instant now) {
    Alert.Kind kind = quote.stale() ? Alert.Kind.STALE : Alert.Kind.FRESH;
    String key = kind.name().toLowerCase() + ":" + quote.instrument() + ":" + bank + ":" + quote.lastTickSource()
        + ":" + quote.lastTickSeq();
    JsonObject payload = new JsonObject()
        .put("lastTradeAt", Wire.time(quote.lastTickAt()))
        .put("mark", Wire.money(quote.mark()))
        .put("basis", quote.basis().name())
        .put("pledgesAffected", pledges);
    return Alert.pending(bank, kind, key, null, quote.instrument(), payload, now);
  }

  /** Told to the pledge's own bank without naming the other bank or its pledge: isolation holds. */
  static Alert doublePledge(Pledge own, Pledge other, Instant now) {
    String key = "double:" + own.certificate() + ":" + own.id() + ":" + other.id();
    JsonObject payload = new JsonObject()
        .put("certificate", own.certificate())
        .put("loanId", own.loanId())
        .put("sameBank", own.bank().equals(other.bank()))
        .put("detail", "this certificate is also pledged in another live pledge; the regulator sees both");
    return Alert.pending(own.bank(), Alert.Kind.DOUBLE_PLEDGE, key, own.id(), own.instrument(), payload, now);
  }
}
