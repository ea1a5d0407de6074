package io.greenpledge.feed;

import io.greenpledge.engine.Bus;
import io.greenpledge.engine.TickBatch;
import io.greenpledge.market.Tick;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Drives the {@link Simulator} from a timer and sends its ticks to the market. */
public final class SimulatorVerticle extends VerticleBase {

  private static final long STEP_MILLIS = 100;

  private final Simulator simulator;
  private final Clock clock;
  private Instant lastStep;

  public SimulatorVerticle(Simulator simulator, Clock clock) {
    this.simulator = simulator;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    lastStep = clock.instant();
    vertx.setPeriodic(STEP_MILLIS, id -> step());
    return Future.succeededFuture();
  }

  private void step() {
    Instant now = clock.instant();
    double seconds = (now.toEpochMilli() - lastStep.toEpochMilli()) / 1000.0;
    lastStep = now;
    List<Tick> ticks = simulator.step(now, seconds);
    if (!ticks.isEmpty()) {
      Bus.TICKS.send(vertx, new TickBatch(ticks));
    }
  }
}
