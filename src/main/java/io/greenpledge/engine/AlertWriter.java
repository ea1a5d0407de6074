package io.greenpledge.engine;

import io.greenpledge.book.Alert;
import io.greenpledge.book.AlertRepository;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues alerts and persists them in batches; each alert is published on {@link Addresses#ALERTS}
 * only once stored with its per-bank seq, so a client never sees an alert that a restart could lose.
 * A failed write stays queued and is retried. Confined to its owner's event loop.
 */
final class AlertWriter {

  private static final Logger LOG = LoggerFactory.getLogger(AlertWriter.class);

  private final Vertx vertx;
  private final io.greenpledge.ops.Metrics metrics;
  private final AlertRepository repository;
  private List<Alert> queue = new ArrayList<>();
  private boolean writing;
  private final io.greenpledge.ops.Outage outage = new io.greenpledge.ops.Outage(LOG,
      "storing alerts failed, retrying until the database answers: {}",
      "alerts stored again after {} s and {} failed writes");

  AlertWriter(Vertx vertx, AlertRepository repository, io.greenpledge.ops.Metrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.repository = repository;
  }

  void add(Alert alert) {
    queue.add(alert);
  }

  io.vertx.core.Future<Void> flush() {
    if (writing || queue.isEmpty()) {
      return io.vertx.core.Future.succeededFuture();
    }
    List<Alert> batch = queue;
    queue = new ArrayList<>();
    writing = true;
    return repository.append(batch)
        .onSuccess(stored -> {
          outage.succeeded();
          stored.forEach(alert -> {
            metrics.alert(alert.kind().name());
            vertx.eventBus().publish(Addresses.ALERTS, alert);
          });
        })
        .onFailure(e -> {
          outage.failed(e);
          batch.addAll(queue);
          queue = batch;
        })
        .onComplete(done -> writing = false)
        .mapEmpty();
  }
}
