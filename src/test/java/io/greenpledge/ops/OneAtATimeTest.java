package io.greenpledge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OneAtATimeTest {

  private final OneAtATime runs = new OneAtATime();

  @Test
  void aSecondRunOfTheSameCallerIsRefusedUntilTheFirstEnds() {
    Promise<String> first = Promise.promise();
    AtomicInteger started = new AtomicInteger();
    assertTrue(runs.start("alice", () -> count(started, first.future())).isPresent());
    assertTrue(runs.start("alice", () -> count(started, Future.succeededFuture("x"))).isEmpty());
    assertEquals(1, started.get(), "a refused run is not started");
    // another caller is not held up by alice's run
    assertTrue(runs.start("bob", () -> Future.succeededFuture("b")).isPresent());
    first.complete("done");
    assertTrue(runs.start("alice", () -> Future.succeededFuture("again")).isPresent());
    assertEquals(0, runs.running());
  }

  @Test
  void aFailedRunEndsToo() {
    Promise<String> first = Promise.promise();
    runs.start("alice", first::future);
    first.fail("boom");
    assertTrue(runs.start("alice", () -> Future.succeededFuture("x")).isPresent());
  }

  @Test
  void workThatThrowsWhileStartingLeavesNothingHeld() {
    assertThrows(
        IllegalStateException.class,
        () ->
            runs.start(
                "alice",
                () -> {
                  throw new IllegalStateException("no worker");
                }));
    assertEquals(0, runs.running());
  }

  /** A client that sends its next request as soon as it has the answer is never refused. */
  @Test
  void theRunHasEndedBeforeTheCallersHandlersRun() {
    Promise<String> first = Promise.promise();
    List<Boolean> nextAllowed = new ArrayList<>();
    runs.start("alice", first::future)
        .orElseThrow()
        .onSuccess(
            answer ->
                nextAllowed.add(
                    runs.start("alice", () -> Future.succeededFuture("next")).isPresent()));
    first.complete("answer");
    assertEquals(List.of(true), nextAllowed);
  }

  private static <T> Future<T> count(AtomicInteger started, Future<T> work) {
    started.incrementAndGet();
    return work;
  }
}
