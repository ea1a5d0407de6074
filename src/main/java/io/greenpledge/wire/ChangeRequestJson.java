package io.greenpledge.wire;

import io.greenpledge.book.ChangeRequestRepository.ChangeRequest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Four-eyes change requests as served. */
public final class ChangeRequestJson {

  private ChangeRequestJson() {}

  public static JsonObject request(ChangeRequest r, Instant now) {
    return new JsonObject()
        .put("id", r.id())
        .put("bank", r.bank())
        .put("action", r.action())
        .put("entityId", r.entityId())
        .put("payload", r.payload())
        .put("maker", r.maker())
        .put("makerRequestId", r.makerRequestId())
        .put("createdAt", Wire.time(r.createdAt()))
        .put("expiresAt", Wire.time(r.expiresAt()))
        .put("state", r.stateAt(now))
        .put("checker", r.checker())
        .put("decidedAt", Wire.time(r.decidedAt()))
        .put("reason", r.reason());
  }
}
