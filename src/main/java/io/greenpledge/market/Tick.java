package io.greenpledge.market;

import java.time.Instant;

/** One trade of an instrument as reported by a source; {@code seq} increases per source. */
public record Tick(
    String instrument, double price, double quantity, Instant ts, String source, long seq) {}
