package io.greenpledge.push;

import java.time.Duration;

/**
 * Push tuning.
 *
 * @param window        conflation window: a socket gets at most one update frame per window
 * @param slowClose     a socket unwritable for longer than this is closed (1008, "slow consumer")
 * @param maxQueuedAlerts alerts are never dropped: a socket with more queued than this is closed instead
 * @param heartbeat     how often an idle socket gets a heartbeat frame
 * @param idleTimeout   a client that sends nothing (not even a ping) for this long is closed
 */
public record PushSettings(Duration window, Duration slowClose, int maxQueuedAlerts, Duration heartbeat,
    Duration idleTimeout) {}
