package io.greenpledge.wire;

import io.greenpledge.alerts.event.Alert;
import io.greenpledge.alerts.event.AlertEvent;
import io.greenpledge.alerts.event.AlertEvent.PledgedTwice;
import io.greenpledge.alerts.event.AlertEvent.StatusChanged;
import io.greenpledge.alerts.event.AlertEvent.TradedAgain;
import io.greenpledge.alerts.event.AlertEvent.WentStale;
import io.greenpledge.alerts.event.Cause;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Alerts as served (REST {@code /alerts}, the {@code alerts} channel) and as stored (the {@code
 * payload} column holds {@link #data}, so a stored alert reads back as the event emitted).
 */
public final class AlertJson {

  private AlertJson() {}

  /** One alert of {@code GET /api/v1/alerts} and the {@code data} of an alert frame item. */
  public static JsonObject alert(Alert alert) {
    return new JsonObject()
        .put("id", alert.id())
        .put("seq", alert.seq())
        .put("bank", alert.bank())
        .put("kind", alert.kind().name())
        .put("pledgeId", alert.pledgeId())
        .put("instrument", alert.instrument())
        .put("occurredAt", alert.occurredAt().toString())
        .put("data", data(alert.event()));
  }

  /** An alert as an item of a snapshot or update frame; encoded once, shared by every socket. */
  public static String item(Alert alert) {
    return "{\"channel\":\"alerts\",\"type\":\"alert\",\"ts\":"
        + alert.occurredAt().toEpochMilli()
        + ",\"seq\":"
        + alert.seq()
        + ",\"data\":"
        + alert(alert).encode()
        + "}";
  }

  /** What the event says, with the wire names of the design. */
  public static JsonObject data(AlertEvent event) {
    if (event instanceof StatusChanged s) {
      return new JsonObject()
          .put("from", s.from())
          .put("to", s.to())
          .put("direction", s.worsened() ? "WORSENED" : "IMPROVED")
          .put("loanId", s.loanId())
          .put("borrower", s.borrower())
          .put("coverage", s.coverage())
          .put("ltv", s.ltv())
          .put("marketValue", s.marketValue())
          .put("outstanding", s.outstanding())
          .put("cashMargin", s.cashMargin())
          .put(
              "topUp",
              new JsonObject().put("amount", s.topUpAmount()).put("quantity", s.topUpQuantity()))
          .put("mark", s.mark())
          .put("basis", s.basis())
          .put("cause", cause(s.cause()));
    }
    if (event instanceof WentStale s) {
      return staleness(s.lastTradeAt(), s.mark(), s.basis(), s.pledgesAffected());
    }
    if (event instanceof TradedAgain s) {
      return staleness(s.lastTradeAt(), s.mark(), s.basis(), s.pledgesAffected());
    }
    if (event instanceof AlertEvent.CallChanged c) {
      return new JsonObject()
          .put("callId", c.callId())
          .put("from", c.from())
          .put("to", c.to())
          .put("amountDue", c.amountDue())
          .put("dueAt", Wire.time(c.dueAt()))
          .put("cause", cause(c.cause()));
    }
    if (event instanceof AlertEvent.ConcentrationChanged c) {
      return new JsonObject()
          .put("limit", c.limit())
          .put("key", c.key())
          .put("figure", c.figure())
          .put("max", c.max())
          .put("state", c.breached() ? "BREACHED" : "CLEARED")
          .put("pledgeIds", new io.vertx.core.json.JsonArray(c.pledgeIds()));
    }
    PledgedTwice d =
        (PledgedTwice) event; // the last of the sealed set (Java 17: no pattern switch)
    return new JsonObject()
        .put("certificate", d.certificate())
        .put("loanId", d.loanId())
        .put("sameBank", d.sameBank())
        .put(
            "detail",
            "this certificate is also pledged in another live pledge; the regulator sees both");
  }

  /**
   * {@code {"kind":"MARKET","tickSource":…,"tickSeq":…}} or {@code
   * {"kind":"BOOK","actor":…,"requestId":…}}.
   */
  private static JsonObject cause(Cause cause) {
    if (cause == null) {
      return null;
    }
    JsonObject json = new JsonObject().put("kind", cause.kind());
    if (Cause.MARKET.equals(cause.kind())) {
      return json.put("tickSource", cause.tickSource()).put("tickSeq", cause.tickSeq());
    }
    return json.put("actor", cause.actor()).put("requestId", cause.requestId());
  }

  private static Cause cause(JsonObject json) {
    return json == null
        ? null
        : new Cause(
            json.getString("kind"),
            json.getString("tickSource"),
            json.getLong("tickSeq"),
            json.getString("actor"),
            json.getString("requestId"));
  }

  private static JsonObject staleness(
      Instant lastTradeAt, BigDecimal mark, String basis, int pledges) {
    return new JsonObject()
        .put("lastTradeAt", Wire.time(lastTradeAt))
        .put("mark", mark)
        .put("basis", basis)
        .put("pledgesAffected", pledges);
  }

  /** The event back from its stored {@link #data}. */
  public static AlertEvent event(Alert.Kind kind, JsonObject data) {
    return switch (kind) {
      case STATUS_CHANGE -> {
        JsonObject topUp = data.getJsonObject("topUp", new JsonObject());
        yield new StatusChanged(
            data.getString("from"),
            data.getString("to"),
            "WORSENED".equals(data.getString("direction")),
            data.getString("loanId"),
            data.getString("borrower"),
            decimal(data, "coverage"),
            decimal(data, "ltv"),
            decimal(data, "marketValue"),
            decimal(data, "outstanding"),
            // alerts stored before cash margin existed had none
            data.containsKey("cashMargin")
                ? decimal(data, "cashMargin")
                : BigDecimal.ZERO.setScale(2),
            decimal(topUp, "amount"),
            decimal(topUp, "quantity"),
            decimal(data, "mark"),
            data.getString("basis"),
            cause(data.getJsonObject("cause")));
      }
      case STALE ->
          new WentStale(
              instant(data),
              decimal(data, "mark"),
              data.getString("basis"),
              data.getInteger("pledgesAffected", 0));
      case FRESH ->
          new TradedAgain(
              instant(data),
              decimal(data, "mark"),
              data.getString("basis"),
              data.getInteger("pledgesAffected", 0));
      case MARGIN_CALL ->
          new AlertEvent.CallChanged(
              data.getLong("callId", 0L),
              data.getString("from"),
              data.getString("to"),
              decimal(data, "amountDue"),
              data.getString("dueAt") == null ? null : Instant.parse(data.getString("dueAt")),
              cause(data.getJsonObject("cause")));
      case CONCENTRATION ->
          new AlertEvent.ConcentrationChanged(
              data.getString("limit"),
              data.getString("key"),
              decimal(data, "figure"),
              decimal(data, "max"),
              "BREACHED".equals(data.getString("state")),
              data.getJsonArray("pledgeIds", new io.vertx.core.json.JsonArray()).stream()
                  .map(String::valueOf)
                  .toList());
      case DOUBLE_PLEDGE ->
          new PledgedTwice(
              data.getString("certificate"),
              data.getString("loanId"),
              data.getBoolean("sameBank", false));
    };
  }

  private static BigDecimal decimal(JsonObject data, String field) {
    Object value = data.getValue(field);
    return value == null ? null : new BigDecimal(value.toString());
  }

  private static Instant instant(JsonObject data) {
    String at = data.getString("lastTradeAt");
    return at == null ? null : Instant.parse(at);
  }
}
