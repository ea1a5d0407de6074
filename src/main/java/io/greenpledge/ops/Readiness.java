package io.greenpledge.ops;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Named readiness checks; the gateway is ready when every check passes. A check answers a future
 * that fails with the reason it is not ready.
 */
public final class Readiness {

  private final Map<String, Supplier<Future<?>>> checks = new LinkedHashMap<>();

  public Readiness add(String name, Supplier<Future<?>> check) {
    checks.put(name, check);
    return this;
  }

  /** {@code {"status":"UP"|"DOWN","checks":{name:{"status":…,"detail":…}}}}. */
  public Future<JsonObject> check() {
    JsonObject details = new JsonObject();
    Future<?>[] results =
        checks.entrySet().stream()
            .map(
                entry ->
                    entry
                        .getValue()
                        .get()
                        .timeout(1000, java.util.concurrent.TimeUnit.MILLISECONDS)
                        .onComplete(
                            r ->
                                details.put(
                                    entry.getKey(),
                                    r.succeeded()
                                        ? new JsonObject().put("status", "UP")
                                        : new JsonObject()
                                            .put("status", "DOWN")
                                            .put(
                                                "detail", String.valueOf(r.cause().getMessage())))))
            .toArray(Future[]::new);
    return Future.join(java.util.List.of(results))
        .transform(
            done ->
                Future.succeededFuture(
                    new JsonObject()
                        .put("status", done.succeeded() ? "UP" : "DOWN")
                        .put("checks", details)));
  }
}
