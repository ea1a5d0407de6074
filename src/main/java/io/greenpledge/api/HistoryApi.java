package io.greenpledge.api;

import io.greenpledge.feed.history.HistoryFile;
import io.greenpledge.feed.history.HistoryImport;
import io.greenpledge.feed.history.ImportReport;
import io.greenpledge.market.Instruments;
import io.greenpledge.store.HistoryRepository;
import io.greenpledge.wire.HistoryJson;
import io.greenpledge.wire.Wire;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code /api/v1/history}: imports of daily history by a market admin. The body is streamed to a
 * file in the data directory (bounded), read and checked on a worker thread, written in one
 * transaction; then the running market is told to reload the instruments it touched.
 */
final class HistoryApi {

  /**
   * The most an upload may hold: years of daily bars are kilobytes; this leaves room for exports.
   */
  static final long MAX_UPLOAD_BYTES = 256L * 1024 * 1024;

  /** Callers with an import running, across every event loop: one import at a time per caller. */
  private static final io.greenpledge.ops.OneAtATime IMPORTING =
      new io.greenpledge.ops.OneAtATime();

  private final Vertx vertx;
  private final Instruments catalog;
  private final HistoryRepository repository;
  private final HistoryImport importer;
  private final Path uploads;
  private final Consumer<List<String>> reload;

  /**
   * @param reload told the instruments an import changed, so the running market re-reads them
   */
  HistoryApi(
      Vertx vertx,
      Instruments catalog,
      HistoryImport importer,
      HistoryRepository repository,
      Path dataDir,
      Consumer<List<String>> reload) {
    this.vertx = vertx;
    this.catalog = catalog;
    this.importer = importer;
    this.repository = repository;
    this.uploads = dataDir.resolve("uploads");
    this.reload = reload;
  }

  void importHistory(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String type = String.valueOf(request.getHeader("Content-Type")).toLowerCase();
    boolean json = type.startsWith("application/json");
    if (!json && !type.startsWith("text/csv") && !type.startsWith("text/plain")) {
      Problems.send(
          ctx,
          415,
          "unsupported-media-type",
          "Unsupported media type",
          "send text/csv (a vendor export or a daily CSV) or application/json");
      return;
    }
    Optional<String> instrument = Optional.ofNullable(request.getParam("instrument"));
    if (instrument.isPresent() && catalog.find(instrument.get()).isEmpty()) {
      Problems.badRequest(
          ctx, "instrument " + instrument.get() + " is not in the catalog " + catalog.ids());
      return;
    }
    String dryRunParam = Optional.ofNullable(request.getParam("dryRun")).orElse("false");
    if (!dryRunParam.equals("true") && !dryRunParam.equals("false")) {
      Problems.badRequest(ctx, "dryRun is true or false");
      return;
    }
    String declared = request.getHeader("Content-Length");
    if (declared != null
        && declared.matches("\\d{1,18}")
        && Long.parseLong(declared) > MAX_UPLOAD_BYTES) {
      Problems.send(
          ctx, 413, "too-large", "Upload too large", "at most " + MAX_UPLOAD_BYTES + " bytes");
      return;
    }
    String name =
        Optional.ofNullable(request.getParam("name")).orElse(json ? "upload.json" : "upload.csv");
    io.greenpledge.store.AuditLog.Actor actor = Requests.actor(ctx);
    Path file = uploads.resolve(UUID.randomUUID() + ".upload");
    IMPORTING
        .start(
            Requests.caller(ctx).limitKey(),
            () ->
                receive(request, file)
                    .compose(
                        size ->
                            vertx.executeBlocking(() -> read(file, name, instrument, json), false))
                    .compose(
                        read ->
                            importer.load(
                                read.parsed(), read.sha256(), dryRunParam.equals("true"), actor))
                    .andThen(done -> vertx.fileSystem().delete(file.toString())))
        .ifPresentOrElse(
            imported ->
                imported.onSuccess(report -> answer(ctx, report)).onFailure(e -> fail(ctx, e)),
            () -> Problems.tooManyRequests(ctx, 5, "imports at once (one per caller)"));
  }

  private void answer(RoutingContext ctx, ImportReport report) {
    if (report.importId().isPresent()) {
      reload.accept(
          report.instruments().stream().map(ImportReport.InstrumentReport::instrument).toList());
    }
    Requests.sendJson(ctx, HistoryJson.report(report));
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof TooLarge) {
      Problems.send(ctx, 413, "too-large", "Upload too large", e.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      Problems.badRequest(ctx, e.getMessage());
    } else {
      ctx.fail(e);
    }
  }

  void listImports(RoutingContext ctx) {
    repository
        .list()
        .onSuccess(
            records ->
                Requests.sendJson(
                    ctx, Wire.list(records.stream().map(HistoryJson::record).toList())))
        .onFailure(ctx::fail);
  }

  void undoImport(RoutingContext ctx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("importId"));
    } catch (NumberFormatException e) {
      Problems.notFound(ctx, "no import " + ctx.pathParam("importId"));
      return;
    }
    repository
        .undo(id, Requests.actor(ctx))
        .onSuccess(
            removed -> {
              if (removed.isEmpty()) {
                Problems.notFound(ctx, "no import #" + id + " to undo");
                return;
              }
              reload.accept(catalog.ids());
              Requests.sendJson(
                  ctx, new JsonObject().put("importId", id).put("daysRemoved", removed.get()));
            })
        .onFailure(ctx::fail);
  }

  private record Read(HistoryFile.Parsed parsed, String sha256) {}

  private Read read(Path file, String name, Optional<String> instrument, boolean json)
      throws IOException {
    HistoryFile reader = new HistoryFile(catalog, instrument);
    HistoryFile.Parsed parsed =
        json ? reader.readJson(file, name) : reader.read(file, name, bytes -> {});
    return new Read(parsed, HistoryFile.sha256(file));
  }

  /**
   * Streams the body to {@code file}, with backpressure, failing past {@link #MAX_UPLOAD_BYTES}.
   */
  private Future<Long> receive(HttpServerRequest request, Path file) {
    Promise<Long> received = Promise.promise();
    vertx
        .fileSystem()
        .mkdirs(uploads.toString())
        .compose(
            v ->
                vertx
                    .fileSystem()
                    .open(file.toString(), new OpenOptions().setCreateNew(true).setWrite(true)))
        .onFailure(received::fail)
        .onSuccess(out -> pump(request, out, received));
    return received.future();
  }

  private static void pump(HttpServerRequest request, AsyncFile out, Promise<Long> received) {
    long[] size = {0};
    request.handler(
        buffer -> {
          size[0] += buffer.length();
          if (size[0] > MAX_UPLOAD_BYTES) {
            request.handler(null);
            out.close();
            received.tryFail(new TooLarge("at most " + MAX_UPLOAD_BYTES + " bytes"));
            return;
          }
          out.write(buffer);
          if (out.writeQueueFull()) {
            request.pause();
            out.drainHandler(v -> request.resume());
          }
        });
    request.exceptionHandler(e -> out.close().onComplete(v -> received.tryFail(e)));
    request.endHandler(v -> out.close().onComplete(closed -> received.tryComplete(size[0])));
    request.resume();
  }

  private static final class TooLarge extends RuntimeException {
    TooLarge(String message) {
      super(message, null, false, false);
    }
  }
}
