package io.greenpledge.alerts;

import io.greenpledge.alerts.event.Alert;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Where alerts are kept: the contract the writer and the desks' streams rely on, implemented by
 * {@link AlertRepository} on PostgreSQL.
 */
public interface AlertStore {

  /**
   * Stores the alerts not stored before (by idempotency key) and answers every alert of the batch
   * with its id and per-bank seq, whether this call stored it or an earlier one did. Atomic: on
   * failure nothing of the batch is stored. Seqs are gap-free per bank, in the batch's order.
   */
  Future<List<Alert>> append(List<Alert> alerts);

  /** A bank's (or, with no bank, every bank's) latest {@code limit} alerts, oldest first. */
  Future<List<Alert>> latest(Optional<String> bank, int limit);

  /** A bank's alerts after {@code seq}, oldest first, at most {@code limit}. */
  Future<List<Alert>> since(String bank, long seq, int limit);

  /** Every bank's alerts after the global {@code id}, oldest first, at most {@code limit}. */
  Future<List<Alert>> sinceAll(long id, int limit);
}
