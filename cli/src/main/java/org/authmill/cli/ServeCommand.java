package org.authmill.cli;

import ch.qos.logback.classic.Level;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.authmill.server.Cidr;
import org.authmill.server.ConfigException;
import org.authmill.server.FilterConfig;
import org.authmill.server.FilterConfigYaml;
import org.authmill.server.FilterServer;
import org.authmill.server.HostPort;
import org.authmill.server.ListenAddress;
import org.authmill.server.signing.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code authmill serve}: runs the milter filter until SIGTERM (or SIGINT), then returns its exit
 * status. SIGHUP reloads the configuration file and the keys; new sessions get the new
 * configuration, sessions in flight keep theirs. Flags override the file's settings.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the milter filter for Postfix (milter protocol 6).",
      "Default: listen on inet:127.0.0.1:8891, verify only, the system's resolvers.",
      "SIGHUP reloads the configuration and keys; SIGTERM stops accepting and lets sessions"
          + " in flight finish (limits.shutdown-grace)."
    })
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
  Path config;

  @Option(
      names = "--listen",
      paramLabel = "ADDRESS",
      description = "inet:HOST:PORT or unix:/PATH (default: inet:127.0.0.1:8891).")
  String listen;

  @Option(
      names = "--authserv-id",
      paramLabel = "ID",
      description = "The authserv-id of our Authentication-Results (default: this host's name).")
  String authservId;

  @Option(
      names = "--sign",
      paramLabel = "DOMAIN:SELECTOR:KEYFILE",
      description =
          "Sign outbound mail from DOMAIN with this key (repeatable; replaces the file's).")
  List<String> sign = new ArrayList<>();

  @Option(
      names = "--trusted-network",
      paramLabel = "CIDR",
      description = "Mail from this network is outbound (repeatable; replaces the file's).")
  List<String> trustedNetworks = new ArrayList<>();

  @Option(
      names = "--metrics",
      paramLabel = "HOST:PORT",
      description = "Serve Prometheus /metrics and /health here (default: off).")
  String metrics;

  @Mixin DnsOptions dns;

  /** The configuration: the file (or the defaults) with the flags laid over it. */
  FilterConfig configuration() {
    FilterConfig c;
    try {
      c = config == null ? FilterConfig.defaults() : FilterConfigYaml.load(config);
      if (listen != null) {
        c = c.withListen(ListenAddress.parse(listen));
      }
      if (authservId != null) {
        c = c.withAuthservId(authservId);
      }
      if (!sign.isEmpty()) {
        c = c.withSigningKeys(sign.stream().map(SigningKey::parse).toList());
      }
      if (!trustedNetworks.isEmpty()) {
        c = c.withTrustedNetworks(trustedNetworks.stream().map(Cidr::parse).toList());
      }
      if (metrics != null) {
        c = c.withMetrics(HostPort.parse(metrics));
      }
      boolean timeoutGiven =
          spec != null && spec.commandLine().getParseResult().hasMatchedOption("--dns-timeout");
      if (!dns.nameservers.isEmpty() || dns.zone != null || timeoutGiven) {
        FilterConfig.Dns d = c.dns();
        List<String> servers = dns.nameservers.isEmpty() ? d.nameservers() : dns.nameservers;
        Path zone = dns.zone != null ? dns.zone : (dns.nameservers.isEmpty() ? d.zoneFile() : null);
        if (dns.zone != null) {
          servers = List.of();
        }
        Duration timeout =
            timeoutGiven ? Duration.ofMillis(Math.round(dns.timeoutSeconds * 1000)) : d.timeout();
        c = c.withDns(new FilterConfig.Dns(servers, zone, timeout));
      }
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage(), e);
    } catch (ConfigException e) {
      throw new InputException(e.getMessage(), e);
    }
    return c;
  }

  @Override
  public Integer call() {
    if (System.getenv("AUTHMILL_LOG_LEVEL") == null
        && LoggerFactory.getLogger("org.authmill") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(Level.INFO);
    }
    FilterConfig initial = configuration();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(initial.eventLoops()));
    FilterServer server;
    try {
      server =
          FilterServer.start(vertx, initial)
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof ConfigException) {
        throw new InputException(cause.getMessage(), cause);
      }
      if (cause instanceof java.net.BindException) {
        throw new InputException(
            "cannot listen on "
                + initial.listen()
                + " or the metrics address: "
                + cause.getMessage()
                + " (is another authmill or milter running there? use --listen)",
            cause);
      }
      spec.commandLine().getErr().println("authmill: cannot start: " + cause);
      return ExitCodes.NOT_PASS;
    }
    Signals.on(
        "HUP",
        () -> {
          try {
            server.reload(configuration());
          } catch (RuntimeException e) {
            LOG.error("reload failed, keeping the previous configuration: {}", e.getMessage());
          }
        });
    CompletableFuture<Integer> stopped = new CompletableFuture<>();
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (stopping.compareAndSet(false, true)) {
            new Thread(() -> stopped.complete(stop(vertx, server)), "authmill-stop").start();
          }
        };
    Signals.on("TERM", stop);
    Signals.on("INT", stop);
    spec.commandLine()
        .getErr()
        .println("authmill: milter listening on " + listenShown(initial, server));
    return stopped.join();
  }

  /** Stops accepting, lets sessions in flight finish within the grace, closes Vert.x. */
  private static int stop(Vertx vertx, FilterServer server) {
    LOG.info("stopping: no new connections; sessions in flight may finish");
    try {
      server
          .stop()
          .toCompletionStage()
          .toCompletableFuture()
          .get(server.config().limits().shutdownGrace().toMillis() + 10_000, TimeUnit.MILLISECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("unclean stop: {}", e.toString());
    }
    LOG.info("stopped");
    return ExitCodes.PASS;
  }

  private static String listenShown(FilterConfig c, FilterServer server) {
    if (c.listen().isUnix()) {
      return c.listen().toString();
    }
    return new ListenAddress(c.listen().host(), server.milterPort(), "").toString();
  }
}
