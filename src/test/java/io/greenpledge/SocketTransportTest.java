package io.greenpledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.greenpledge.config.Settings;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

/** GP_NATIVE_TRANSPORT: the first of the operator's choices that loads, else Java NIO. */
class SocketTransportTest {

  /** A transport that loads or not, as a kernel or a seccomp profile decides. */
  private record Fake(String name, boolean available) implements Transport {
    @Override
    public Throwable unavailabilityCause() {
      return available ? null : new UnsupportedOperationException("refused by seccomp");
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
      throw new UnsupportedOperationException("not built here");
    }
  }

  private static final Transport URING = new Fake("io_uring", true);
  private static final Transport URING_REFUSED = new Fake("io_uring", false);
  private static final Transport EPOLL = new Fake("epoll", true);
  private static final Transport EPOLL_REFUSED = new Fake("epoll", false);

  @Test
  void byDefaultIoUringWhereTheKernelAllowsItElseEpollElseNio() {
    assertChosen(URING, "io_uring", Settings.Transport.NATIVE, URING, EPOLL);
    assertChosen(EPOLL, "epoll", Settings.Transport.NATIVE, URING_REFUSED, EPOLL);
    assertChosen(EPOLL, "epoll", Settings.Transport.NATIVE, null, EPOLL);
    assertChosen(Transport.NIO, "NIO", Settings.Transport.NATIVE, URING_REFUSED, EPOLL_REFUSED);
  }

  @Test
  void epollWhenAskedEvenWhereIoUringLoads() {
    assertChosen(EPOLL, "epoll", Settings.Transport.EPOLL, URING, EPOLL);
    assertChosen(Transport.NIO, "NIO", Settings.Transport.EPOLL, URING, EPOLL_REFUSED);
  }

  @Test
  void nioWhenAsked() {
    assertChosen(Transport.NIO, "NIO", Settings.Transport.NIO, URING, EPOLL);
  }

  private static void assertChosen(
      Transport expected,
      String name,
      Settings.Transport asked,
      Transport ioUring,
      Transport epoll) {
    Transport chosen = SocketTransport.choose(asked, ioUring, epoll, true);
    assertSame(expected, chosen, asked + " with " + ioUring + " and " + epoll);
    assertEquals(name, SocketTransport.name(chosen));
  }
}
