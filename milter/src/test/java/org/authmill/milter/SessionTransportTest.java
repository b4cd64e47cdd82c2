package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionTransportTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void end_peerClosesAtOnce_transportNotKeptByItsCloseTimer() throws Exception {
    // The force-close timer of end() runs for the packet timeout (a minute): a closed session that
    // it still referenced stayed in the heap that long, which at a thousand sessions a second is
    // the whole heap.
    AtomicReference<SessionTransport> created = new AtomicReference<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                socket -> {
                  SessionTransport t =
                      new SessionTransport(
                          vertx,
                          socket,
                          MilterSettings.DEFAULTS,
                          new MilterMetrics(new SimpleMeterRegistry()),
                          "test");
                  created.set(t);
                  t.start(
                      command -> {
                        if (command instanceof MilterCommand.Quit) {
                          t.end();
                        }
                        return Future.succeededFuture();
                      },
                      () -> closed.complete(null));
                });
    int port =
        server
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
    try (Socket mta = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = mta.getOutputStream();
      out.write(new byte[] {0, 0, 0, 1, 'Q'});
      out.flush();
      InputStream in = mta.getInputStream();
      assertThat(in.read()).as("the filter closes after QUIT").isEqualTo(-1);
    }
    closed.get(10, TimeUnit.SECONDS);
    WeakReference<SessionTransport> transport = new WeakReference<>(created.getAndSet(null));
    for (int i = 0; i < 50 && transport.get() != null; i++) {
      System.gc();
      Thread.sleep(100);
    }
    assertThat(transport.get()).as("the transport is unreachable once its socket closed").isNull();
  }
}
