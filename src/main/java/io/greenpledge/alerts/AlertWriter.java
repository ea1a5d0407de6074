package io.greenpledge.alerts;

import io.greenpledge.alerts.event.Alert;
import io.greenpledge.ops.Metrics;
import io.greenpledge.ops.Outage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues alerts and persists them in batches; each alert is handed to its publisher only once
 * stored with its per-bank seq, so a client never sees an alert that a restart could lose. A failed
 * write stays queued and is retried. Confined to its owner's event loop.
 */
public final class AlertWriter {

  private static final Logger LOG = LoggerFactory.getLogger(AlertWriter.class);

  private final Consumer<Alert> publisher;
  private final Metrics metrics;
  private final AlertStore repository;
  private List<Alert> queue = new ArrayList<>();
  private boolean writing;
  private final Outage outage =
      new Outage(
          LOG,
          "storing alerts failed, retrying until the database answers: {}",
          "alerts stored again after {} s and {} failed writes");

  /**
   * @param publisher told of each alert once it is stored, in order
   */
  public AlertWriter(AlertStore repository, Metrics metrics, Consumer<Alert> publisher) {
    this.metrics = metrics;
    this.publisher = publisher;
    this.repository = repository;
  }

  public void add(Alert alert) {
    queue.add(alert);
  }

  public Future<Void> flush() {
    if (writing || queue.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Alert> batch = queue;
    queue = new ArrayList<>();
    writing = true;
    return repository
        .append(batch)
        .onSuccess(
            stored -> {
              outage.succeeded();
              stored.forEach(
                  alert -> {
                    metrics.alert(alert.kind().name());
                    publisher.accept(alert);
                  });
            })
        .onFailure(
            e -> {
              outage.failed(e);
              batch.addAll(queue);
              queue = batch;
            })
        .onComplete(done -> writing = false)
        .mapEmpty();
  }
}
