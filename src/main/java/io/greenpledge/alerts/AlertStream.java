package io.greenpledge.alerts;

import io.greenpledge.alerts.event.Alert;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One desk's alert stream: it resumes after the desk's cursor from the store, then takes live
 * alerts, with no gap and no duplicate. Live alerts that arrive while the store answers are held
 * and released after the stored ones, those already read from the store skipped. A bank's cursor is
 * its gap-free {@code seq}; the regulator's (every bank) is the global {@code id}. Confined to the
 * desk's event loop.
 */
public final class AlertStream {

  /** Stored alerts are read in pages of this many, so a long absence is not one huge query. */
  static final int RESUME_PAGE = 1000;

  /** Without a cursor a desk sees this many recent alerts, so its ticker is not empty. */
  static final int RECENT = 20;

  private final AlertStore store;

  /** Empty: every bank (the regulator). */
  private final Optional<String> bank;

  private long cursor;

  /** Live alerts that arrived while resuming; null when not resuming. */
  private List<Alert> held;

  /** What a resume found: the stored alerts to send first, then the live ones that caught up. */
  public record Resumed(
      List<Alert> stored, long cursor, List<Alert> caughtUp, boolean storeFailed) {}

  /**
   * @param bank the desk's bank, or empty for the regulator (every bank)
   */
  public AlertStream(AlertStore store, Optional<String> bank) {
    this.store = store;
    this.bank = bank;
  }

  public boolean resuming() {
    return held != null;
  }

  /**
   * Reads the alerts after {@code after} (or the latest few, when null) and releases those held
   * meanwhile. A store that fails ends the resume with what was read ({@code storeFailed}); the
   * desk may resubscribe.
   */
  public Future<Resumed> resume(Long after) {
    held = new ArrayList<>();
    cursor = after == null ? 0 : after;
    List<Alert> stored = new ArrayList<>();
    Future<Void> read = after == null ? readRecent(stored) : readAfter(after, stored);
    return read.transform(
        done -> {
          List<Alert> caughtUp = new ArrayList<>();
          List<Alert> live = held;
          held = null;
          live.forEach(
              alert -> {
                if (admit(alert)) {
                  caughtUp.add(alert);
                }
              });
          return Future.succeededFuture(
              new Resumed(stored, lastStored(stored, after), caughtUp, done.failed()));
        });
  }

  private long lastStored(List<Alert> stored, Long after) {
    return stored.isEmpty() ? (after == null ? 0 : after) : cursorOf(stored.get(stored.size() - 1));
  }

  private Future<Void> readRecent(List<Alert> into) {
    return store
        .latest(bank, RECENT)
        .map(
            found -> {
              found.forEach(alert -> take(alert, into));
              return null;
            });
  }

  private Future<Void> readAfter(long after, List<Alert> into) {
    Future<List<Alert>> page =
        bank.isEmpty()
            ? store.sinceAll(after, RESUME_PAGE)
            : store.since(bank.get(), after, RESUME_PAGE);
    return page.compose(
        found -> {
          found.forEach(alert -> take(alert, into));
          return found.size() == RESUME_PAGE ? readAfter(cursor, into) : Future.succeededFuture();
        });
  }

  private void take(Alert alert, List<Alert> into) {
    into.add(alert);
    cursor = cursorOf(alert);
  }

  /**
   * A persisted live alert of this desk's scope: true when the desk should get it now; false when
   * it is held (resuming) or was already read from the store.
   */
  public boolean offer(Alert alert) {
    if (!sees(alert.bank())) {
      return false;
    }
    if (held != null) {
      held.add(alert);
      return false;
    }
    return admit(alert);
  }

  private boolean admit(Alert alert) {
    if (cursorOf(alert) <= cursor) {
      return false;
    }
    cursor = cursorOf(alert);
    return true;
  }

  private boolean sees(String alertBank) {
    return bank.isEmpty() || bank.get().equals(alertBank);
  }

  private long cursorOf(Alert alert) {
    return bank.isEmpty() ? alert.id() : alert.seq();
  }
}
