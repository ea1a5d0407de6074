package io.greenpledge.engine;

import java.util.List;

/** Imported history of these instruments changed (an import or an undo): the market re-reads it. */
public record HistoryChanged(List<String> instruments) {}
