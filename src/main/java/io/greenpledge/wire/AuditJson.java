package io.greenpledge.wire;

import io.greenpledge.store.AuditLog;
import io.vertx.core.json.JsonObject;

/**
 * Audit entries as served by {@code GET /api/v1/audit}: every field that the entry's hash covers.
 */
public final class AuditJson {

  private AuditJson() {}

  public static JsonObject entry(AuditLog.Entry e) {
    return new JsonObject()
        .put("id", e.id())
        .put("bank", e.bank())
        .put("at", e.at().toString())
        .put("actor", e.actor())
        .put("action", e.action())
        .put("entity", e.entity())
        .put("entityId", e.entityId())
        .put("requestId", e.requestId())
        .put("clientAddress", e.clientAddress())
        .put("before", e.before())
        .put("after", e.after())
        .put("prevHash", e.prevHash())
        .put("hash", e.hash());
  }
}
