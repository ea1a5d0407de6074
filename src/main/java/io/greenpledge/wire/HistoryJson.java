package io.greenpledge.wire;

import io.greenpledge.feed.history.ImportReport;
import io.greenpledge.store.HistoryRepository.ImportRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Bodies of the history API: an import's report and the list of imports. */
public final class HistoryJson {

  private HistoryJson() {}

  public static JsonObject report(ImportReport report) {
    JsonArray instruments = new JsonArray();
    for (ImportReport.InstrumentReport i : report.instruments()) {
      JsonObject refused = new JsonObject();
      i.refusedByReason().forEach((reason, count) -> refused.put(reason.name(), count));
      instruments.add(
          new JsonObject()
              .put("instrument", i.instrument())
              .put("rows", i.rows())
              .put("written", i.written())
              .put("unchanged", i.same())
              .put("keptLive", i.keptJournaled())
              .put("blank", i.blank())
              .put("refused", refused)
              .put("firstDay", i.firstDay().map(Object::toString).orElse(null))
              .put("lastDay", i.lastDay().map(Object::toString).orElse(null))
              .put(
                  "after",
                  i.after()
                      .map(
                          s ->
                              new JsonObject()
                                  .put("asOf", s.asOf().toString())
                                  .put("sigma", Wire.decimal(s.sigma(), 8))
                                  .put("sigmaBasis", s.sigmaBasis())
                                  .put("adv20", Wire.decimal(s.adv20(), 6))
                                  .put("vwap20", Wire.decimal(s.vwap20(), 4)))
                      .orElse(null)));
    }
    return new JsonObject()
        .put("file", report.file())
        .put("layout", report.layout())
        .put("charset", report.charset())
        .put("dryRun", report.dryRun())
        .put("importId", report.importId().orElse(null))
        .put("alreadyImportedAs", report.alreadyImportedAs().orElse(null))
        .put("instruments", instruments)
        .put("problems", new JsonArray(report.problems()));
  }

  public static JsonObject record(ImportRecord r) {
    return new JsonObject()
        .put("id", r.id())
        .put("file", r.fileName())
        .put("sha256", r.sha256())
        .put("layout", r.layout())
        .put("instruments", new JsonArray(r.instruments()))
        .put("firstDay", r.firstDay() == null ? null : r.firstDay().toString())
        .put("lastDay", r.lastDay() == null ? null : r.lastDay().toString())
        .put("daysWritten", r.daysWritten())
        .put("daysUnchanged", r.daysSame())
        .put("refused", r.refused())
        .put("importedBy", r.importedBy())
        .put("importedAt", r.importedAt().toString())
        .put("undoneAt", r.undoneAt().map(Object::toString).orElse(null));
  }
}
