package io.greenpledge.wire;

import io.greenpledge.calls.Disposal;
import io.greenpledge.calls.DisposalCase;
import io.vertx.core.json.JsonObject;

/** Disposal cases and their decisions as the API serves and stores them. */
public final class DisposalJson {

  private DisposalJson() {}

  public static JsonObject disposalCase(DisposalCase c) {
    return new JsonObject()
        .put("id", c.id())
        .put("bank", c.bank())
        .put("pledgeId", c.pledgeId())
        .put("callId", c.callId())
        .put("instrument", c.instrument())
        .put("state", c.state().name())
        .put("openedAt", Wire.time(c.openedAt()))
        .put("updatedAt", Wire.time(c.updatedAt()))
        .put("decision", c.decision() == null ? null : new JsonObject(c.decision()))
        .put("decidedBy", c.decidedBy())
        .put("forbearUntil", c.forbearUntil() == null ? null : Wire.time(c.forbearUntil()))
        .put("version", c.version());
  }

  /** A sale as decided: what was sold, for what, and what the loan recovered. */
  public static JsonObject sale(Disposal.Sale s) {
    return new JsonObject()
        .put("decision", "DISPOSE")
        .put("quantity", Wire.plain(s.quantity()))
        .put("price", Wire.plain(s.price()))
        .put("proceeds", s.proceeds())
        .put("soldOn", s.soldOn().toString())
        .put("outstanding", s.outstanding())
        .put("recovery", s.recovery())
        .put("shortfall", s.shortfall())
        .put("surplus", s.surplus());
  }

  public static JsonObject forbearance(Disposal.Forbearance f) {
    return new JsonObject()
        .put("decision", "FORBEAR")
        .put("reason", f.reason())
        .put("until", Wire.time(f.until()));
  }
}
