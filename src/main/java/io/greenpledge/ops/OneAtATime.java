package io.greenpledge.ops;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * At most one run in flight per key (a caller): for work whose cost grows with the book or a file
 * rather than with the request (a stress run over every pledge, an import), so one client cannot
 * fill the worker pool and hold up everyone else's. A key's run ends when its future completes,
 * before any handler the caller adds, so a client that waits for each answer is never refused.
 */
public final class OneAtATime {

  private final Set<String> running = ConcurrentHashMap.newKeySet();

  /** Starts {@code work} for {@code key}; empty, without starting it, while {@code key} has one. */
  public <T> Optional<Future<T>> start(String key, Supplier<Future<T>> work) {
    if (!running.add(key)) {
      return Optional.empty();
    }
    Future<T> started;
    try {
      started = work.get();
    } catch (RuntimeException e) {
      running.remove(key);
      throw e;
    }
    return Optional.of(started.andThen(done -> running.remove(key)));
  }

  /** Keys with a run in flight (for tests and metrics). */
  public int running() {
    return running.size();
  }
}
