package io.greenpledge.support;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (the JDK's) that queues every text frame and the close it receives, and
 * checks every frame against the AsyncAPI contract ({@link FrameContract}): a frame that matches
 * none of the messages the gateway may send there fails the test at the next read or at close.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

  /** How the server closed the socket. */
  public record Close(int code, String reason) {}

  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final WebSocket socket;
  private final String path;
  private final java.util.List<String> violations =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  public WsClient(int port, String path) {
    this.path = path;
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + path), this)
            .join();
  }

  public WsClient send(JsonObject frame) {
    socket.sendText(frame.encode(), true).join();
    return this;
  }

  public WsClient sendRaw(String text) {
    socket.sendText(text, true).join();
    return this;
  }

  /** The next frame, waiting at most {@code seconds}; fails the test when none comes. */
  public JsonObject next(int seconds) throws InterruptedException {
    checkContract();
    JsonObject frame = frames.poll(seconds, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within " + seconds + " s");
    }
    return frame;
  }

  /** The next frame, or null once the socket is closed or broken with nothing left to read. */
  public JsonObject nextUnlessClosed(int seconds) throws InterruptedException {
    checkContract();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
      if (frame != null) {
        return frame;
      }
      if (closed.isDone()) {
        return null;
      }
    }
    return null;
  }

  /** The next frame if one has arrived, else null (never waits). */
  public JsonObject poll() {
    checkContract();
    return frames.poll();
  }

  /** The next frame of a given type, skipping others (e.g. heartbeats). */
  public JsonObject next(String type, int seconds) throws InterruptedException {
    checkContract();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject frame = frames.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (frame == null) {
        throw new AssertionError("no " + type + " frame within " + seconds + " s");
      }
      if (type.equals(frame.getString("type"))) {
        return frame;
      }
    }
  }

  /** The close if the server has closed the socket already, else null (never waits). */
  public Close awaitCloseOrNull() {
    return closed.isDone() && !closed.isCompletedExceptionally() ? closed.join() : null;
  }

  public Close awaitClose(int seconds) throws Exception {
    return closed.get(seconds, TimeUnit.SECONDS);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      JsonObject frame = new JsonObject(partial.toString());
      String violation = FrameContract.violation(path, frame);
      if (violation != null) {
        violations.add(violation);
      }
      frames.add(frame);
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
    checkContract();
  }

  /** Every frame received so far matched the contract. */
  private void checkContract() {
    if (!violations.isEmpty()) {
      throw new AssertionError("frames outside the AsyncAPI contract: " + violations);
    }
  }
}
