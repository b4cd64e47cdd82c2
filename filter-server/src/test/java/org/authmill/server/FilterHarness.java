package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.authmill.milter.MilterReply;
import org.authmill.milter.client.MilterClient;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;

/**
 * A running filter server for tests that drive it as Postfix would: the configuration is YAML, the
 * client is {@link MilterClient}, and {@link #assertSafe} checks what the server sent back.
 */
public final class FilterHarness implements AutoCloseable {
  private final Vertx vertx;
  private final FilterServer server;

  private FilterHarness(Vertx vertx, FilterServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts a server from YAML ({@code listen: inet:127.0.0.1:0} is added). */
  public static FilterHarness start(String yaml) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      FilterConfig config = FilterConfigYaml.parse("listen: inet:127.0.0.1:0\n" + yaml, "test");
      return new FilterHarness(vertx, await(FilterServer.start(vertx, config)));
    } catch (Exception | Error e) {
      vertx.close();
      throw e;
    }
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  public FilterServer server() {
    return server;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** A client connected (CONNECT and HELO done) as a host at {@code ip}. */
  public MilterClient client(String ip, String helo) throws Exception {
    MilterClient c =
        await(
            MilterClient.connect(
                vertx,
                SocketAddress.inetSocketAddress(server.milterPort(), "127.0.0.1"),
                MilterClient.postfixConnectMacros("mx.test.local", "smtpd", helo, ip)));
    await(c.connectEvent(helo, InetAddress.getByName(ip), 40000));
    await(c.helo(helo, Map.of()));
    return c;
  }

  /** One transaction on a fresh connection, then QUIT. */
  public MilterResult send(String ip, String helo, MilterTransaction tx) throws Exception {
    MilterClient c = client(ip, helo);
    try {
      return await(c.send(tx));
    } finally {
      await(c.quit());
    }
  }

  /** Waits (bounded) for no open session. */
  public void awaitNoSessions() throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (server.openSessions() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertThat(server.openSessions()).as("open sessions").isZero();
  }

  /** The value of the first header of that name the server inserted or added, or null. */
  public static String added(MilterResult r, String name) {
    for (MilterReply m : r.modifications()) {
      if (m instanceof MilterReply.InsertHeader i && i.name().equalsIgnoreCase(name)) {
        return i.value();
      }
      if (m instanceof MilterReply.AddHeader a && a.name().equalsIgnoreCase(name)) {
        return a.value();
      }
    }
    return null;
  }

  /**
   * Every header the server asks for is one header: a name of printable ASCII without a colon, a
   * value whose every line break (LF, the milter's form) is folding (followed by SP or TAB), and no
   * other control character; a reply text holds no control character at all.
   */
  public static void assertSafe(MilterResult r) {
    for (MilterReply m : r.modifications()) {
      String name;
      String value;
      if (m instanceof MilterReply.InsertHeader i) {
        name = i.name();
        value = i.value();
      } else if (m instanceof MilterReply.AddHeader a) {
        name = a.name();
        value = a.value();
      } else if (m instanceof MilterReply.ChangeHeader c) {
        name = c.name();
        value = c.value();
      } else {
        continue;
      }
      assertThat(name).matches("[\\x21-\\x39\\x3B-\\x7E]+");
      for (int k = 0; k < value.length(); k++) {
        char c = value.charAt(k);
        if (c == '\n') {
          assertThat(
                  k + 1 < value.length()
                      && (value.charAt(k + 1) == ' ' || value.charAt(k + 1) == '\t'))
              .as("line break not followed by folding white space in %s: %s", name, value)
              .isTrue();
        } else {
          assertThat(c < 0x20 && c != '\t' || c == 0x7F)
              .as("control character U+%04X in %s: %s", (int) c, name, value)
              .isFalse();
        }
      }
    }
    if (r.finalReply() instanceof MilterReply.ReplyCode y) {
      assertThat(y.text()).as("reply text").doesNotContainPattern("[\\x00-\\x1F\\x7F]");
    }
  }

  /** The modifications as "name: value" lines, for failure messages. */
  public static List<String> show(MilterResult r) {
    return r.modifications().stream().map(Object::toString).toList();
  }

  @Override
  public void close() throws Exception {
    await(server.stop(Duration.ofSeconds(1)));
    await(vertx.close());
  }
}
