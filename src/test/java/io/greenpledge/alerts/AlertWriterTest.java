package io.greenpledge.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.alerts.event.Alert;
import io.greenpledge.alerts.event.AlertEvent;
import io.greenpledge.ops.Metrics;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The alert writer against an in-memory store: nothing is told before it is stored, nothing is
 * lost.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class AlertWriterTest {

  private final InMemoryAlertStore store = new InMemoryAlertStore();
  private final List<Alert> published = new ArrayList<>();
  private final AlertWriter writer = new AlertWriter(store, new Metrics(), published::add);

  @Test
  void alertsArePublishedOnlyOnceStoredWithTheirSeqAndInOrder(VertxTestContext ctx) {
    writer.add(stale("BANK-A", "1"));
    writer.add(stale("BANK-A", "2"));
    assertTrue(published.isEmpty(), "queued, not yet stored: not told");
    writer
        .flush()
        .onComplete(
            ctx.succeeding(
                done ->
                    ctx.verify(
                        () -> {
                          assertEquals(
                              List.of(1L, 2L), published.stream().map(Alert::seq).toList());
                          assertEquals(store.stored, published);
                          ctx.completeNow();
                        })));
  }

  @Test
  void aFailedWriteKeepsItsAlertsQueuedAndTheNextFlushStoresThemOnce(VertxTestContext ctx) {
    store.failNextAppends = 1;
    writer.add(stale("BANK-A", "1"));
    writer
        .flush()
        .onComplete(
            failed -> {
              ctx.verify(
                  () -> {
                    assertTrue(failed.failed());
                    assertTrue(published.isEmpty(), "a failed write tells nobody");
                  });
              writer.add(stale("BANK-A", "2"));
              writer
                  .flush()
                  .onComplete(
                      ctx.succeeding(
                          done ->
                              ctx.verify(
                                  () -> {
                                    assertEquals(
                                        List.of("stale:1", "stale:2"),
                                        published.stream().map(Alert::key).toList());
                                    assertEquals(2, store.stored.size());
                                    ctx.completeNow();
                                  })));
            });
  }

  @Test
  void theSameEventTwiceIsStoredAndToldOnce(VertxTestContext ctx) {
    writer.add(stale("BANK-A", "1"));
    writer
        .flush()
        .compose(
            first -> {
              writer.add(stale("BANK-A", "1"));
              return writer.flush();
            })
        .onComplete(
            ctx.succeeding(
                done ->
                    ctx.verify(
                        () -> {
                          assertEquals(1, store.stored.size());
                          assertEquals(
                              1L,
                              published.get(published.size() - 1).seq(),
                              "answered as the stored alert");
                          ctx.completeNow();
                        })));
  }

  static Alert stale(String bank, String key) {
    return Alert.pending(
        bank,
        "stale:" + key,
        null,
        "CEA",
        new AlertEvent.WentStale(
            Instant.parse("2026-11-27T02:00:00Z"),
            new java.math.BigDecimal("70.00"),
            "REFERENCE",
            1),
        Instant.parse("2026-11-27T02:00:00Z"));
  }
}
