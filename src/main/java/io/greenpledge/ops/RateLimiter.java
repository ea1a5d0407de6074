package io.greenpledge.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per caller: {@code ratePerSecond} sustained, {@code burst} at once. {@link #take}
 * answers 0 when allowed, else the whole seconds to wait (for Retry-After). Buckets of callers idle
 * for a minute are dropped, so memory follows the active callers only.
 */
public final class RateLimiter {

  private static final long IDLE_NANOS = 60_000_000_000L;

  private static final class Bucket {
    double tokens;
    long refilledAt;
  }

  private final double ratePerSecond;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private volatile long lastSweep = System.nanoTime();

  public RateLimiter(double ratePerSecond, double burst) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
  }

  public boolean enabled() {
    return ratePerSecond > 0;
  }

  /** Takes {@code cost} tokens for {@code key}; 0 when allowed, else seconds until it would be. */
  public long take(String key, double cost) {
    if (!enabled()) {
      return 0;
    }
    long now = System.nanoTime();
    sweep(now);
    Bucket bucket =
        buckets.computeIfAbsent(
            key,
            k -> {
              Bucket b = new Bucket();
              b.tokens = burst;
              b.refilledAt = now;
              return b;
            });
    synchronized (bucket) {
      bucket.tokens =
          Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * ratePerSecond);
      bucket.refilledAt = now;
      if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return 0;
      }
      double missing = Math.min(cost, burst) - bucket.tokens;
      return Math.max(1, (long) Math.ceil(missing / ratePerSecond));
    }
  }

  /** Seconds until {@code key} may spend one token again; 0 when it may now. Takes nothing. */
  public long waitFor(String key) {
    if (!enabled()) {
      return 0;
    }
    Bucket bucket = buckets.get(key);
    if (bucket == null) {
      return 0;
    }
    synchronized (bucket) {
      double tokens =
          Math.min(
              burst, bucket.tokens + (System.nanoTime() - bucket.refilledAt) / 1e9 * ratePerSecond);
      return tokens >= 1 ? 0 : Math.max(1, (long) Math.ceil((1 - tokens) / ratePerSecond));
    }
  }

  private void sweep(long now) {
    if (now - lastSweep > IDLE_NANOS) {
      lastSweep = now;
      buckets.entrySet().removeIf(e -> now - e.getValue().refilledAt > IDLE_NANOS);
    }
  }
}
