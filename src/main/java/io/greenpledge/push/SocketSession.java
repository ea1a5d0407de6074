package io.greenpledge.push;

import io.greenpledge.auth.Authentication;
import io.greenpledge.auth.Caller;
import io.greenpledge.wire.Frames;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * The authentication handshake every gateway WebSocket shares. Browsers cannot set headers on a
 * WebSocket and URLs end up in logs, so the token comes in the first frame, {@code
 * {"op":"auth","token":…}}, within {@link #AUTH_DEADLINE}; otherwise the socket closes with 4401. A
 * later {@code auth} frame refreshes the token; the socket closes with 4401 when it expires. Frames
 * are JSON text; a malformed frame gets an {@code error} frame and the socket stays up.
 */
public abstract class SocketSession {

  public static final Duration AUTH_DEADLINE = Duration.ofSeconds(5);
  public static final short CLOSE_UNAUTHENTICATED = 4401;
  public static final short CLOSE_FORBIDDEN = 4403;

  /**
   * RFC 6455 policy violation: a client over its frame rate, or asking for more than a socket may
   * hold.
   */
  public static final short CLOSE_POLICY = 1008;

  /** Frames larger than this are refused before parsing. */
  static final int MAX_FRAME_CHARS = 4 * 1024 * 1024;

  protected final Vertx vertx;
  protected final ServerWebSocket socket;
  private final Authentication authentication;
  private final Predicate<Caller> allowed;
  private Caller caller;
  private Runnable onAdmissionEnds = () -> {};
  private long expiryTimer = -1;
  private long seq;
  private boolean closed;
  private long lastClientFrameAt = System.currentTimeMillis();

  /** Frames that arrived while a token was being verified; null when no verification is running. */
  private java.util.List<JsonObject> verifying;

  private static final int MAX_HELD_FRAMES = 16;
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SocketSession.class);

  /** One log line a minute for frames that could not be handled, whatever a client sends. */
  private static final io.greenpledge.ops.LogLimiter FAILED_FRAMES =
      new io.greenpledge.ops.LogLimiter(Duration.ofMinutes(1));

  /** Frames a client may send per second (burst: twice that); past it frames are refused. */
  private final int framesPerSecond;

  private long frameWindowStart;
  private int framesInWindow;
  private boolean toldRateLimited;

  protected SocketSession(
      Vertx vertx,
      ServerWebSocket socket,
      Authentication authentication,
      Predicate<Caller> allowed,
      int framesPerSecond) {
    this.framesPerSecond = framesPerSecond;
    this.vertx = vertx;
    this.socket = socket;
    this.authentication = authentication;
    this.allowed = allowed;
  }

  /**
   * Called once, when the socket authenticates or closes: it no longer waits for its auth frame.
   */
  public final SocketSession whenAdmissionEnds(Runnable callback) {
    this.onAdmissionEnds = callback;
    return this;
  }

  private void endAdmission() {
    Runnable callback = onAdmissionEnds;
    onAdmissionEnds = () -> {};
    callback.run();
  }

  /** Starts the handshake; call once, on the socket's event loop. */
  public final void start() {
    long deadline =
        vertx.setTimer(
            AUTH_DEADLINE.toMillis(),
            id -> {
              if (caller == null) {
                close(
                    CLOSE_UNAUTHENTICATED,
                    "no auth frame within " + AUTH_DEADLINE.toSeconds() + " s");
              }
            });
    socket.textMessageHandler(this::onText);
    socket.binaryMessageHandler(b -> sendError("binary-frame", "send JSON text frames"));
    socket.closeHandler(
        v -> {
          closed = true;
          endAdmission();
          vertx.cancelTimer(deadline);
          cancelExpiry();
          onClose();
        });
  }

  private void onText(String text) {
    lastClientFrameAt = System.currentTimeMillis();
    if (!withinFrameRate(lastClientFrameAt)) {
      return;
    }
    if (text.length() > MAX_FRAME_CHARS) {
      sendError("too-large", "frame exceeds " + MAX_FRAME_CHARS + " characters");
      return;
    }
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      sendError("malformed", "frames are JSON objects with an \"op\" field");
      return;
    }
    Object op = frame.getValue("op");
    if (verifying != null && !"auth".equals(op)) {
      // A client may pipeline its subscribe right behind
      // its auth frame: hold it until the token is checked.
      if (verifying.size() >= MAX_HELD_FRAMES) {
        close(CLOSE_UNAUTHENTICATED, "too many frames before authentication completed");
      } else {
        verifying.add(frame);
      }
      return;
    }
    handle(frame, op);
  }

  /**
   * A fixed one-second window: up to twice the rate passes (a burst), the first frame over it gets
   * one {@code rate-limited} error frame, and a client still sending at four times the rate is
   * closed (1008): its frames would otherwise cost the event loop every other desk shares.
   */
  private boolean withinFrameRate(long now) {
    if (now - frameWindowStart >= 1000) {
      frameWindowStart = now;
      framesInWindow = 0;
      toldRateLimited = false;
    }
    framesInWindow++;
    if (framesInWindow <= 2 * framesPerSecond) {
      return true;
    }
    if (framesInWindow > 4 * framesPerSecond) {
      close(CLOSE_POLICY, "more than " + 4 * framesPerSecond + " frames in a second");
    } else if (!toldRateLimited) {
      toldRateLimited = true;
      sendError(
          "rate-limited",
          "at most "
              + framesPerSecond
              + " frames per second (bursts of "
              + 2 * framesPerSecond
              + "); frames over it are dropped");
    }
    return false;
  }

  private void handle(JsonObject frame, Object op) {
    try {
      dispatch(frame, op);
    } catch (RuntimeException e) {
      // A frame the checks did not foresee: the client hears why, the log gets one line a minute.
      FAILED_FRAMES.warn(
          LOG,
          "a {} frame could not be handled: {}",
          op instanceof String ? op : "?",
          e.toString());
      sendError(
          "bad-frame", "the frame could not be handled (" + e.getClass().getSimpleName() + ")");
    }
  }

  private void dispatch(JsonObject frame, Object op) {
    if ("auth".equals(op)) {
      authenticate(frame.getValue("token"));
    } else if (caller == null) {
      close(CLOSE_UNAUTHENTICATED, "the first frame must be {\"op\":\"auth\",\"token\":…}");
    } else if ("ping".equals(op)) {
      send(Frames.pong());
    } else if (op instanceof String name) {
      onOperation(name, frame);
    } else {
      sendError("malformed", "frames are JSON objects with an \"op\" field");
    }
  }

  private void authenticate(Object token) {
    if (!(token instanceof String raw) || raw.isEmpty()) {
      rejectToken("auth frame has no token");
      return;
    }
    if (verifying == null) {
      verifying = new java.util.ArrayList<>();
    }
    authentication
        .verify(raw)
        .onComplete(
            result -> {
              java.util.List<JsonObject> held = verifying;
              verifying = null;
              if (closed) {
                return;
              }
              if (result.failed()) {
                rejectToken("token is not valid: " + result.cause().getMessage());
              } else if (!allowed.test(result.result())) {
                close(CLOSE_FORBIDDEN, "the token's roles do not allow this endpoint");
              } else if (caller != null && !sameIdentity(caller, result.result())) {
                close(CLOSE_FORBIDDEN, "a refreshed token must name the same subject and bank");
              } else {
                boolean first = caller == null;
                caller = result.result();
                endAdmission();
                scheduleExpiry(caller.expiresAt());
                send(
                    Frames.authenticated(
                        caller.subject(), caller.bank().orElse(null), caller.expiresAt()));
                if (first) {
                  onAuthenticated(caller);
                } else {
                  onRefreshed(caller);
                }
              }
              for (JsonObject frame : held) {
                if (!closed) {
                  handle(frame, frame.getValue("op"));
                }
              }
            });
  }

  private static boolean sameIdentity(Caller current, Caller refreshed) {
    return current.subject().equals(refreshed.subject()) && current.bank().equals(refreshed.bank());
  }

  /** A bad first token closes the socket; a bad refresh keeps the still-valid session. */
  private void rejectToken(String detail) {
    if (caller == null) {
      close(CLOSE_UNAUTHENTICATED, detail);
    } else {
      sendError("unauthenticated", detail + "; the current token stays in force until it expires");
    }
  }

  private void scheduleExpiry(Instant expiresAt) {
    cancelExpiry();
    if (expiresAt.equals(Instant.MAX)) {
      return;
    }
    long millis = Math.max(1, expiresAt.toEpochMilli() - System.currentTimeMillis());
    expiryTimer = vertx.setTimer(millis, id -> close(CLOSE_UNAUTHENTICATED, "token expired"));
  }

  private void cancelExpiry() {
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
      expiryTimer = -1;
    }
  }

  /** When the client last sent a frame (any op); for idle timeouts. */
  protected final long lastClientFrameAt() {
    return lastClientFrameAt;
  }

  protected final Caller caller() {
    return caller;
  }

  protected final boolean isClosed() {
    return closed;
  }

  /** The next per-socket frame sequence number (for frames assembled as text by the caller). */
  protected final long nextSeq() {
    return ++seq;
  }

  /** Writes an already encoded text frame. */
  protected final void writeText(String frame) {
    if (!closed) {
      socket.writeTextMessage(frame);
    }
  }

  /**
   * Writes one text message, {@code head}, the {@code shared} parts separated by commas, then
   * {@code tail}, as a single frame: one write and one flush (one system call) per socket. The
   * shared parts are UTF-8 encoded once by the caller for every socket that receives them; here
   * their bytes are only copied next to the per-socket head and tail.
   */
  protected final void writeText(String head, java.util.List<byte[]> shared, String tail) {
    if (closed) {
      return;
    }
    byte[] headBytes = head.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] tailBytes = tail.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int length = headBytes.length + tailBytes.length + Math.max(0, shared.size() - 1);
    for (byte[] part : shared) {
      length += part.length;
    }
    byte[] frame = new byte[length];
    System.arraycopy(headBytes, 0, frame, 0, headBytes.length);
    int at = headBytes.length;
    for (int i = 0; i < shared.size(); i++) {
      if (i > 0) {
        frame[at++] = ',';
      }
      byte[] part = shared.get(i);
      System.arraycopy(part, 0, frame, at, part.length);
      at += part.length;
    }
    System.arraycopy(tailBytes, 0, frame, at, tailBytes.length);
    // Vert.x's public API takes a text frame only as a String (encoded again per socket); its frame
    // class also takes UTF-8 bytes that are already encoded.
    socket.writeFrame(
        new io.vertx.core.http.impl.ws.WebSocketFrameImpl(
            io.vertx.core.http.WebSocketFrameType.TEXT, frame, true));
  }

  /** Sends a frame with the next per-socket {@code seq} and the send time {@code ts}. */
  protected final void send(JsonObject frame) {
    if (closed) {
      return;
    }
    frame.put("seq", ++seq).put("ts", System.currentTimeMillis());
    socket.writeTextMessage(frame.encode());
  }

  protected final void sendError(String code, String detail) {
    send(Frames.error(code, detail));
  }

  protected final void close(short code, String reason) {
    if (!closed) {
      closed = true;
      socket.close(code, reason.length() > 120 ? reason.substring(0, 120) : reason);
    }
  }

  protected abstract void onAuthenticated(Caller caller);

  protected abstract void onOperation(String op, JsonObject frame);

  /** The same subject and bank refreshed its token: the new token's roles govern from now on. */
  protected void onRefreshed(Caller caller) {}

  protected void onClose() {}
}
