package io.greenpledge.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.alerts.event.Alert;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A desk's alert stream: resumes from the store, then live, with no gap and no duplicate. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class AlertStreamTest {

  private final InMemoryAlertStore store = new InMemoryAlertStore();

  @Test
  void liveAlertsArrivingDuringAResumeFollowTheStoredOnesWithNoDuplicate(VertxTestContext ctx) {
    storeAlerts("BANK-A", 5);
    AlertStream stream = new AlertStream(store, Optional.of("BANK-A"));
    store.holdReads();
    stream
        .resume(2L)
        .onComplete(
            ctx.succeeding(
                resumed ->
                    ctx.verify(
                        () -> {
                          assertEquals(
                              List.of(3L, 4L, 5L),
                              seqs(resumed.stored()),
                              "stored after the cursor");
                          assertEquals(
                              List.of(6L),
                              seqs(resumed.caughtUp()),
                              "5 came from the store already; only 6 is new");
                          assertEquals(5L, resumed.cursor());
                          assertFalse(stream.resuming());
                          assertTrue(stream.offer(append("BANK-A")), "live again after the resume");
                          ctx.completeNow();
                        })));
    assertTrue(stream.resuming());
    // Told live while the store was answering: 5 is also in the store's answer, 6 is not.
    assertFalse(stream.offer(store.stored.get(4)), "held, not sent, while resuming");
    assertFalse(stream.offer(append("BANK-A")), "held, not sent, while resuming");
    store.releaseReads();
  }

  @Test
  void aBanksStreamNeverTakesAnotherBanksAlert(VertxTestContext ctx) {
    AlertStream stream = new AlertStream(store, Optional.of("BANK-A"));
    stream
        .resume(0L)
        .onComplete(
            ctx.succeeding(
                resumed ->
                    ctx.verify(
                        () -> {
                          assertFalse(stream.offer(append("BANK-B")));
                          assertTrue(stream.offer(append("BANK-A")));
                          ctx.completeNow();
                        })));
  }

  @Test
  void theRegulatorFollowsTheGlobalIdAcrossBanks(VertxTestContext ctx) {
    storeAlerts("BANK-A", 2);
    storeAlerts("BANK-B", 2);
    AlertStream stream = new AlertStream(store, Optional.empty());
    stream
        .resume(1L)
        .onComplete(
            ctx.succeeding(
                resumed ->
                    ctx.verify(
                        () -> {
                          assertEquals(
                              List.of(2L, 3L, 4L),
                              resumed.stored().stream().map(Alert::id).toList());
                          assertEquals(4L, resumed.cursor());
                          ctx.completeNow();
                        })));
  }

  @Test
  void withoutACursorADeskSeesTheLatestFew(VertxTestContext ctx) {
    storeAlerts("BANK-A", AlertStream.RECENT + 5);
    new AlertStream(store, Optional.of("BANK-A"))
        .resume(null)
        .onComplete(
            ctx.succeeding(
                resumed ->
                    ctx.verify(
                        () -> {
                          assertEquals(AlertStream.RECENT, resumed.stored().size());
                          assertEquals(AlertStream.RECENT + 5L, resumed.cursor());
                          ctx.completeNow();
                        })));
  }

  @Test
  void aLongAbsenceIsReadPageByPage(VertxTestContext ctx) {
    storeAlerts("BANK-A", AlertStream.RESUME_PAGE * 2 + 7);
    new AlertStream(store, Optional.of("BANK-A"))
        .resume(0L)
        .onComplete(
            ctx.succeeding(
                resumed ->
                    ctx.verify(
                        () -> {
                          assertEquals(AlertStream.RESUME_PAGE * 2 + 7, resumed.stored().size());
                          assertEquals(AlertStream.RESUME_PAGE * 2 + 7L, resumed.cursor());
                          ctx.completeNow();
                        })));
  }

  private void storeAlerts(String bank, int n) {
    for (int i = 0; i < n; i++) {
      append(bank);
    }
  }

  private Alert append(String bank) {
    String key = "k" + store.stored.size();
    return store.append(List.of(AlertWriterTest.stale(bank, key))).result().get(0);
  }

  private static List<Long> seqs(List<Alert> alerts) {
    return alerts.stream().map(Alert::seq).toList();
  }
}
