package io.greenpledge.ops;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

  /** Every check's outcome: empty when it passed, else why it did not. */
  public record Report(Map<String, Optional<String>> checks) {
    public boolean up() {
      return checks.values().stream().allMatch(Optional::isEmpty);
    }
  }

  /** Runs every check (each at most 1 s) and reports them all, failed ones with their reason. */
  public Future<Report> check() {
    Map<String, Optional<String>> outcomes = new LinkedHashMap<>();
    List<Future<?>> results = new ArrayList<>();
    checks.forEach(
        (name, check) ->
            results.add(
                check
                    .get()
                    .timeout(1000, TimeUnit.MILLISECONDS)
                    .onComplete(
                        r ->
                            outcomes.put(
                                name,
                                r.succeeded()
                                    ? Optional.empty()
                                    : Optional.of(String.valueOf(r.cause().getMessage()))))));
    return Future.join(results).transform(done -> Future.succeededFuture(new Report(outcomes)));
  }
}
