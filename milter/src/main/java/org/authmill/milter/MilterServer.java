package org.authmill.milter;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A milter server on Vert.x {@link NetServer}s, one per event loop, sharing one listening address:
 * each accepted connection gets a {@link MilterSession} with the {@link Setup} current at that
 * moment, so {@link #update} (a configuration reload) reaches new sessions without dropping the
 * ones in flight.
 */
public final class MilterServer {
  private static final Logger LOG = LoggerFactory.getLogger(MilterServer.class);

  /**
   * What a new session runs with: the session bounds, the filters, and the logger of its one line
   * per message.
   */
  public record Setup(MilterSettings settings, MailFilterFactory factory, Logger messageLog) {
    /** The logger of the message lines unless told otherwise. */
    public static final String MESSAGE_LOGGER = "org.authmill.server.message";

    /** Validates. */
    public Setup {
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(factory, "factory");
      Objects.requireNonNull(messageLog, "messageLog");
    }

    /** Message lines to the logger {@value #MESSAGE_LOGGER}. */
    public Setup(MilterSettings settings, MailFilterFactory factory) {
      this(settings, factory, LoggerFactory.getLogger(MESSAGE_LOGGER));
    }
  }

  private final Vertx vertx;
  private final MilterMetrics metrics;
  private final AtomicReference<Setup> setup;
  private final List<NetServer> servers = new CopyOnWriteArrayList<>();
  private final Set<MilterSession> sessions = ConcurrentHashMap.newKeySet();
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private volatile SocketAddress address;

  private MilterServer(Vertx vertx, MilterMetrics metrics, Setup setup) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.setup = new AtomicReference<>(setup);
  }

  /**
   * Starts listening. With port 0 the system picks a free port, which {@link #address()} tells.
   *
   * @param instances how many event loops accept connections (at least 1)
   */
  public static Future<MilterServer> start(
      Vertx vertx, SocketAddress listen, int instances, Setup setup, MilterMetrics metrics) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1: " + instances);
    }
    MilterServer server = new MilterServer(vertx, metrics, setup);
    SocketAddress shared = listen;
    if (listen.isInetSocket() && listen.port() == 0) {
      // Port 0 with several instances: one random port shared by all of this server's instances.
      shared =
          SocketAddress.sharedRandomPort(
              (System.identityHashCode(server) & 0x3FFFFFFF) + 1, listen.host());
    }
    return server
        .deploy(shared, listen, instances)
        .map(
            bound -> {
              server.address = bound;
              return server;
            });
  }

  private Future<SocketAddress> deploy(SocketAddress listen, SocketAddress asked, int instances) {
    AtomicReference<SocketAddress> bound = new AtomicReference<>();
    return vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    NetServer net =
                        vertx.createNetServer(
                            new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true));
                    net.connectHandler(
                        socket -> {
                          Setup current = setup.get();
                          MilterSession[] holder = new MilterSession[1];
                          MilterSession session =
                              new MilterSession(
                                  vertx,
                                  socket,
                                  current.settings(),
                                  current.factory(),
                                  current.messageLog(),
                                  metrics,
                                  () -> sessions.remove(holder[0]));
                          holder[0] = session;
                          sessions.add(session);
                          socket.shutdownHandler(v -> {});
                          session.start();
                        });
                    return net.listen(listen)
                        .map(
                            s -> {
                              servers.add(s);
                              if (listen.isInetSocket()) {
                                bound.set(
                                    SocketAddress.inetSocketAddress(s.actualPort(), asked.host()));
                              } else {
                                bound.set(listen);
                              }
                              return s;
                            });
                  }
                },
            new DeploymentOptions().setInstances(instances))
        .map(
            id -> {
              deployments.add(id);
              return bound.get();
            });
  }

  /** The address the server listens on (the real port when 0 was asked for). */
  public SocketAddress address() {
    return address;
  }

  /** The TCP port listened on, or -1 for a Unix-domain socket. */
  public int port() {
    return address.isInetSocket() ? address.port() : -1;
  }

  /** Replaces what new sessions run with; sessions in flight keep theirs. */
  public void update(Setup next) {
    setup.set(Objects.requireNonNull(next, "setup"));
  }

  /** What new sessions run with now. */
  public Setup setup() {
    return setup.get();
  }

  /** The number of open sessions. */
  public int openSessions() {
    return sessions.size();
  }

  /**
   * Stops accepting connections, lets open sessions finish (the MTA closes them at the end of its
   * SMTP sessions) for up to {@code grace}, then closes what is left. The MTA treats a session
   * closed early with its {@code milter_default_action}.
   */
  public Future<Void> shutdown(Duration grace) {
    Promise<Void> done = Promise.promise();
    int open = sessions.size();
    if (open > 0) {
      LOG.info("shutting down: waiting up to {} for {} open session(s)", grace, open);
    }
    Future.all(
            servers.stream().map(s -> s.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS)).toList())
        .onComplete(
            ar -> {
              int left = sessions.size();
              if (left > 0) {
                LOG.warn("shutdown grace of {} over: closing {} session(s)", grace, left);
                sessions.forEach(MilterSession::close);
              }
              Future.all(deployments.stream().map(vertx::undeploy).toList())
                  .onComplete(x -> done.complete());
            });
    return done.future();
  }
}
