package io.greenpledge.market;

import java.util.Arrays;

/**
 * Which sequence numbers of one source are stored: the highest, and each of the {@value #WINDOW}
 * below it. A connector that resends a batch after a failure must hear DUPLICATE for the ticks that
 * were stored and OUT_OF_ORDER only for those that never were (a gap it skipped); comparing with
 * the highest seq alone cannot tell the two apart. Older than the window, a seq is judged
 * OUT_OF_ORDER: no connector resends that far back (an ingest batch is at most 10,000 ticks).
 *
 * <p>Single-threaded, owned by the market. 2 KiB per source.
 */
final class SourceSequence {

  static final int WINDOW = 16_384;

  private long last;
  private final long[] bits;

  SourceSequence(long last) {
    this.last = last;
    this.bits = new long[WINDOW / 64];
    set(last);
  }

  private SourceSequence(SourceSequence other) {
    this.last = other.last;
    this.bits = other.bits.clone();
  }

  long last() {
    return last;
  }

  SourceSequence copy() {
    return new SourceSequence(this);
  }

  /** True when this seq was stored; only meaningful for {@code seq <= last()}. */
  boolean stored(long seq) {
    if (seq > last || seq <= last - WINDOW) {
      return false;
    }
    int index = Math.floorMod(seq, WINDOW);
    return (bits[index >>> 6] & (1L << (index & 63))) != 0;
  }

  void add(long seq) {
    if (seq > last) {
      if (seq - last >= WINDOW) {
        Arrays.fill(bits, 0);
      } else {
        for (long s = last + 1; s < seq; s++) {
          clear(s);
        }
      }
      last = seq;
    } else if (seq <= last - WINDOW) {
      return;
    }
    set(seq);
  }

  private void set(long seq) {
    int index = Math.floorMod(seq, WINDOW);
    bits[index >>> 6] |= 1L << (index & 63);
  }

  private void clear(long seq) {
    int index = Math.floorMod(seq, WINDOW);
    bits[index >>> 6] &= ~(1L << (index & 63));
  }
}
