package io.greenpledge.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.greenpledge.support.GatewayExtension;
import io.greenpledge.support.Http;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one client address may hold: connections (silent or trickling headers) and WebSockets that
 * never authenticate. Limits are lowered here so the test opens tens of sockets, not thousands; a
 * client on another address (127.0.0.2) is the bystander.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ConnectionLimitsIT {

  @RegisterExtension
  static final GatewayExtension node =
      new GatewayExtension(
          "GP_FEEDS",
          "ingest",
          "GP_DEMO",
          "false",
          "GP_HTTP_HOST",
          "0.0.0.0",
          "GP_CONNECTIONS_PER_ADDRESS",
          "40",
          "GP_UNAUTHENTICATED_SOCKETS_PER_ADDRESS",
          "5",
          "GP_RATE_LIMIT",
          "5");

  @Test
  @DisplayName(
      "silent connections past the per-address limit are closed; another address is served meanwhile")
  void silentConnectionsPastTheLimitAreClosedAndABystanderIsServed() throws Exception {
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        silent.add(connect("127.0.0.1"));
      }
      int closed = 0;
      for (Socket socket : silent) {
        closed += closedWithin(socket, 300) ? 1 : 0;
      }
      assertTrue(closed >= 10, "the connections over 40 were closed: " + closed);
      assertEquals(
          200, statusFrom("127.0.0.2", "/health/live"), "a client on another address is served");
    } finally {
      for (Socket socket : silent) {
        socket.close();
      }
    }
  }

  @Test
  @DisplayName("a connection that trickles its request head is closed after the header timeout")
  void aSlowHeaderConnectionIsClosed() throws Exception {
    try (Socket slow = connect("127.0.0.1")) {
      slow.getOutputStream()
          .write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      assertTrue(closedWithin(slow, 15_000), "closed by the 10 s header timeout");
    }
    String metrics = new Http(node.gateway().managementPort()).get("/metrics", null).body();
    assertTrue(
        metrics.contains("gp_connections_refused_total{reason=\"header-timeout\"}"), "counted");
  }

  @Test
  @DisplayName("WebSockets that never authenticate are capped per address with a 429")
  void unauthenticatedSocketsAreCappedPerAddress() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Socket socket = connect("127.0.0.1");
        sockets.add(socket);
        socket
            .getOutputStream()
            .write(
                ("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        answers.add(statusLine(socket.getInputStream()));
      }
      assertEquals(
          5,
          answers.stream().filter(a -> a.startsWith("HTTP/1.1 101")).count(),
          answers.toString());
      assertEquals(
          3,
          answers.stream().filter(a -> a.startsWith("HTTP/1.1 429")).count(),
          answers.toString());
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  @DisplayName(
      "failed authentications are limited per address: past the budget, 429 with Retry-After")
  void failedAuthenticationsAreLimitedPerAddress() throws Exception {
    int limited = 0;
    for (int i = 0; i < 100; i++) {
      // from 127.0.0.3, so the other tests' address keeps its budget
      int status =
          statusFrom("127.0.0.3", "/api/v1/prices", "Authorization: Bearer not-a-token-" + i);
      if (status == 429) {
        limited++;
      } else {
        assertEquals(401, status);
      }
    }
    assertTrue(limited >= 40, "bursts of 40 failures, then 429: " + limited + " of 100 limited");
    assertEquals(
        200, statusFrom("127.0.0.2", "/health/live", null), "another address is unaffected");
  }

  @Test
  @DisplayName("a person's viewer and risk-admin tokens have budgets of their own")
  void budgetsAreKeyedBySubjectBankAndRoles() {
    Http http = new Http(node.gateway().httpPort());
    String viewer = node.tokens().token("same-person", "BANK-L", "viewer");
    String admin = node.tokens().token("same-person", "BANK-L", "viewer", "risk-admin");
    int limited = 0;
    for (int i = 0; i < 30; i++) {
      limited += http.get("/api/v1/prices", viewer).status() == 429 ? 1 : 0;
    }
    assertTrue(limited > 0, "the viewer token ran out of its budget (5/s, bursts of 10)");
    assertEquals(
        200, http.get("/api/v1/prices", admin).status(), "the same person's admin token did not");
  }

  private static Socket connect(String localAddress) throws Exception {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", node.gateway().httpPort()), 5000);
    return socket;
  }

  private static int statusFrom(String localAddress, String path) throws Exception {
    return statusFrom(localAddress, path, null);
  }

  private static int statusFrom(String localAddress, String path, String header) throws Exception {
    try (Socket socket = connect(localAddress)) {
      socket
          .getOutputStream()
          .write(
              ("GET "
                      + path
                      + " HTTP/1.1\r\nHost: x\r\n"
                      + (header == null ? "" : header + "\r\n")
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return Integer.parseInt(statusLine(socket.getInputStream()).split(" ")[1]);
    }
  }

  private static String statusLine(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      line.append((char) b);
    }
    return line.toString().trim();
  }

  private static boolean closedWithin(Socket socket, int millis) throws Exception {
    socket.setSoTimeout(millis);
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (java.io.IOException reset) {
      return true;
    }
  }
}
