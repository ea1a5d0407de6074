package io.greenpledge.api;

import io.greenpledge.book.ChangeRequestRepository.ChangeRequest;
import io.greenpledge.book.PolicyRepository;
import io.greenpledge.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code /api/v1/policy}: a bank's own risk policy: which actions need a second risk-admin, and how
 * many trading days a borrower has to meet a margin call. A risk-admin may tighten it at once (more
 * actions under four-eyes, fewer days); relaxing it is itself a four-eyes change ({@code
 * policy.four-eyes}, always), so one person cannot switch a control off and then act alone.
 */
final class PolicyApi {

  private final FourEyes fourEyes;
  private final int defaultDueDays;

  PolicyApi(FourEyes fourEyes, int defaultDueDays) {
    this.fourEyes = fourEyes;
    this.defaultDueDays = defaultDueDays;
  }

  void get(RoutingContext ctx) {
    Optional<String> bank = Requests.bankInView(ctx, "policy");
    if (bank.isEmpty()) {
      return;
    }
    fourEyes
        .policies()
        .find(bank.get())
        .onSuccess(found -> Requests.sendJson(ctx, json(bank.get(), found)))
        .onFailure(ctx::fail);
  }

  void put(RoutingContext ctx) {
    String bank = Scope.of(Requests.caller(ctx)).bank().orElseThrow();
    JsonObject body = ctx.body().asJsonObject();
    Set<String> wanted;
    try {
      wanted = actions(body.getJsonArray("fourEyes"));
      dueDays(body, Optional.empty());
    } catch (IllegalArgumentException | ClassCastException e) {
      Problems.badRequest(ctx, e.getMessage());
      return;
    }
    fourEyes
        .policies()
        .find(bank)
        .onSuccess(
            found -> {
              Optional<Integer> days =
                  dueDays(body, found.flatMap(PolicyRepository.Policy::callDueDays));
              Set<String> current =
                  found.map(PolicyRepository.Policy::fourEyes).orElse(fourEyes.defaults());
              boolean relaxed =
                  !wanted.containsAll(current)
                      || days.orElse(defaultDueDays) > effectiveDays(found);
              if (relaxed) {
                fourEyes.request(
                    ctx,
                    bank,
                    FourEyes.POLICY,
                    bank,
                    new JsonObject()
                        .put("fourEyes", new JsonArray(List.copyOf(wanted)))
                        .put("callDueDays", days.orElse(null))
                        .put("version", found.map(PolicyRepository.Policy::version).orElse(0L)));
                return;
              }
              apply(ctx, bank, wanted, days, json(bank, found), Optional.empty());
            })
        .onFailure(ctx::fail);
  }

  /** An approved relaxation: refused (409, request stays pending) if the policy changed since. */
  void applyChangeRequest(RoutingContext ctx, ChangeRequest request) {
    String bank = request.bank();
    fourEyes
        .policies()
        .find(bank)
        .onSuccess(
            found -> {
              long version = found.map(PolicyRepository.Policy::version).orElse(0L);
              if (version != request.payload().getLong("version")) {
                Problems.send(
                    ctx,
                    409,
                    "policy-changed",
                    "Policy changed meanwhile",
                    "the bank's policy changed since the request; ask again");
                return;
              }
              apply(
                  ctx,
                  bank,
                  actions(request.payload().getJsonArray("fourEyes")),
                  Optional.ofNullable(request.payload().getInteger("callDueDays")),
                  json(bank, found),
                  Optional.of(FourEyes.approval(ctx, request)));
            })
        .onFailure(ctx::fail);
  }

  private void apply(
      RoutingContext ctx,
      String bank,
      Set<String> wanted,
      Optional<Integer> days,
      JsonObject before,
      Optional<Function<SqlConnection, Future<Void>>> approval) {
    FourEyes.approvedWrite(
            fourEyes.policies().pool(),
            approval,
            connection ->
                PolicyRepository.save(
                    connection, bank, wanted, days, before, Requests.actor(ctx), Instant.now()))
        .onSuccess(saved -> Requests.sendJson(ctx, json(bank, Optional.of(saved))))
        .onFailure(e -> FourEyes.failed(ctx, e));
  }

  private JsonObject json(String bank, Optional<PolicyRepository.Policy> policy) {
    return new JsonObject()
        .put("bank", bank)
        .put(
            "fourEyes",
            new JsonArray(
                List.copyOf(
                    new TreeSet<>(
                        policy
                            .map(PolicyRepository.Policy::fourEyes)
                            .orElse(fourEyes.defaults())))))
        .put("callDueDays", effectiveDays(policy))
        .put("defaultCallDueDays", defaultDueDays)
        .put("source", policy.isPresent() ? "BANK" : "DEFAULT")
        .put("default", new JsonArray(List.copyOf(new TreeSet<>(fourEyes.defaults()))))
        .put("known", new JsonArray(List.copyOf(new TreeSet<>(Settings.FourEyes.KNOWN))))
        .put(
            "updatedAt", policy.map(p -> io.greenpledge.wire.Wire.time(p.updatedAt())).orElse(null))
        .put("updatedBy", policy.map(PolicyRepository.Policy::updatedBy).orElse(null))
        .put("version", policy.map(PolicyRepository.Policy::version).orElse(0L));
  }

  private int effectiveDays(Optional<PolicyRepository.Policy> policy) {
    return policy.flatMap(PolicyRepository.Policy::callDueDays).orElse(defaultDueDays);
  }

  /** {@code callDueDays}: absent keeps {@code current}, null goes back to the default. */
  private static Optional<Integer> dueDays(JsonObject body, Optional<Integer> current) {
    if (!body.containsKey("callDueDays")) {
      return current;
    }
    Object value = body.getValue("callDueDays");
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Integer days) || days < 1 || days > 30) {
      throw new IllegalArgumentException("callDueDays is a whole number of trading days, 1–30");
    }
    return Optional.of(days);
  }

  private static Set<String> actions(JsonArray names) {
    if (names == null) {
      throw new IllegalArgumentException("fourEyes is a list of actions, [] for none");
    }
    Set<String> actions = new TreeSet<>();
    for (Object name : names) {
      if (!(name instanceof String action) || !Settings.FourEyes.KNOWN.contains(action)) {
        throw new IllegalArgumentException(
            "'" + name + "' is not one of " + new TreeSet<>(Settings.FourEyes.KNOWN));
      }
      actions.add(action);
    }
    return actions;
  }
}
