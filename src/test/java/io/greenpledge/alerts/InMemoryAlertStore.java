package io.greenpledge.alerts;

import io.greenpledge.alerts.event.Alert;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link AlertStore} contract in memory, for component tests: idempotent by key, gap-free seq
 * per bank, a global id. It can be told to fail the next appends, or to hold its reads until
 * released.
 */
final class InMemoryAlertStore implements AlertStore {

  final List<Alert> stored = new ArrayList<>();
  private final Map<String, Long> lastSeq = new HashMap<>();
  int failNextAppends;

  /** When set, reads wait for {@link #releaseReads()}. */
  private List<Runnable> heldReads;

  @Override
  public Future<List<Alert>> append(List<Alert> alerts) {
    if (failNextAppends > 0) {
      failNextAppends--;
      return Future.failedFuture("database unavailable");
    }
    List<Alert> answered = new ArrayList<>();
    for (Alert alert : alerts) {
      Optional<Alert> known = stored.stream().filter(a -> a.key().equals(alert.key())).findFirst();
      answered.add(
          known.orElseGet(
              () -> {
                Alert persisted =
                    alert.persisted(stored.size() + 1, lastSeq.merge(alert.bank(), 1L, Long::sum));
                stored.add(persisted);
                return persisted;
              }));
    }
    return Future.succeededFuture(answered);
  }

  @Override
  public Future<List<Alert>> latest(Optional<String> bank, int limit) {
    List<Alert> mine =
        stored.stream().filter(a -> bank.map(a.bank()::equals).orElse(true)).toList();
    return read(mine.subList(Math.max(0, mine.size() - limit), mine.size()));
  }

  @Override
  public Future<List<Alert>> since(String bank, long seq, int limit) {
    return read(
        stored.stream().filter(a -> a.bank().equals(bank) && a.seq() > seq).limit(limit).toList());
  }

  @Override
  public Future<List<Alert>> sinceAll(long id, int limit) {
    return read(stored.stream().filter(a -> a.id() > id).limit(limit).toList());
  }

  void holdReads() {
    heldReads = new ArrayList<>();
  }

  void releaseReads() {
    List<Runnable> held = heldReads;
    heldReads = null;
    held.forEach(Runnable::run);
  }

  private Future<List<Alert>> read(List<Alert> found) {
    List<Alert> copy = List.copyOf(found);
    if (heldReads == null) {
      return Future.succeededFuture(copy);
    }
    Promise<List<Alert>> promise = Promise.promise();
    heldReads.add(() -> promise.complete(copy));
    return promise.future();
  }
}
