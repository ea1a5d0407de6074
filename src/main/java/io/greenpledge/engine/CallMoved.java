package io.greenpledge.engine;

import io.greenpledge.calls.MarginCall;

/**
 * A desk moved a margin call (acknowledged, disputed, resolved): the risk engine tells it as an
 * alert.
 */
public record CallMoved(MarginCall call, String from, String actor, String requestId) {}
