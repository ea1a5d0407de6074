package io.greenpledge.ops;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * At most one log line per interval for one cause, with the count of what was not logged: a client
 * or a failing dependency must not be able to turn every request into a log line.
 */
public final class LogLimiter {

  private final long intervalNanos;
  private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public LogLimiter(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  public void warn(Logger log, String format, Object... args) {
    long now = System.nanoTime();
    long next = nextAt.get();
    if ((next != Long.MIN_VALUE && now - next < 0)
        || !nextAt.compareAndSet(next, now + intervalNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    log.warn(skipped == 0 ? format : format + " (" + skipped + " more like this not logged)", args);
  }
}
