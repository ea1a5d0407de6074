package io.greenpledge.feed;

import io.greenpledge.engine.Bus;
import io.greenpledge.engine.TickBatch;
import io.greenpledge.market.Tick;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a CSV of historical trades ({@code ts,instrument,price,quantity}) at {@code speed} times
 * real time. Ticks are re-stamped with the wall-clock time of their emission so that staleness,
 * daily limits and latency behave as they would live; the original gaps are kept, divided by speed.
 */
public final class ReplayVerticle extends VerticleBase {

  public static final String SOURCE = "replay";
  private static final Logger LOG = LoggerFactory.getLogger(ReplayVerticle.class);
  private static final long STEP_MILLIS = 50;

  private final Path file;
  private final double speed;
  private final long firstSeq;
  private final Clock clock;
  private List<ReplayCsv.Row> rows;
  private int next;
  private Instant startedAt;

  public ReplayVerticle(Path file, double speed, long lastSeq, Clock clock) {
    this.file = file;
    this.speed = speed;
    this.firstSeq = lastSeq + 1;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    return vertx
        .fileSystem()
        .readFile(file.toString())
        .map(buffer -> ReplayCsv.parse(buffer.toString()))
        .onSuccess(
            parsed -> {
              rows = parsed;
              startedAt = clock.instant();
              LOG.info("replaying {} trades from {} at {}x", rows.size(), file, speed);
              vertx.setPeriodic(STEP_MILLIS, id -> emitDue(id));
            });
  }

  private void emitDue(long timerId) {
    if (next >= rows.size()) {
      vertx.cancelTimer(timerId);
      LOG.info("replay of {} finished", file);
      return;
    }
    Instant now = clock.instant();
    double elapsedMillis = (now.toEpochMilli() - startedAt.toEpochMilli()) * speed;
    Instant firstTs = rows.get(0).ts();
    List<Tick> due = new ArrayList<>();
    while (next < rows.size()
        && rows.get(next).ts().toEpochMilli() - firstTs.toEpochMilli() <= elapsedMillis) {
      ReplayCsv.Row row = rows.get(next);
      due.add(
          new Tick(row.instrument(), row.price(), row.quantity(), now, SOURCE, firstSeq + next));
      next++;
    }
    if (!due.isEmpty()) {
      Bus.TICKS.send(vertx, new TickBatch(due));
    }
  }
}
