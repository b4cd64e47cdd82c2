package org.authmill.cli;

import ch.qos.logback.classic.Level;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.authmill.keys.KeyRotator;
import org.authmill.keys.KeyStore;
import org.authmill.report.ReportPeriod;
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
          + " in flight finish (limits.shutdown-grace). Both write the held DMARC report counts."
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

  @Option(
      names = "--report-org",
      paramLabel = "NAME",
      description = "Record and send DMARC aggregate reports (RFC 9990) as this organization.")
  String reportOrg;

  @Option(
      names = "--report-email",
      paramLabel = "ADDR",
      description = "Contact and From: address of the aggregate reports (also turns them on).")
  String reportEmail;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "State directory (default: /var/lib/authmill): the embedded report store"
              + " DIR/authmill.db, and the DKIM keys managed under DIR/keys/ (authmill keys),"
              + " which serve signs with and whose due steps it runs every"
              + " signing.key-check-interval.")
  Path stateDir;

  @Option(
      names = "--report-store",
      paramLabel = "URL",
      description =
          "Report store shared by several instances: jdbc:postgresql://HOST:PORT/DB?user=U&password=P.")
  String reportStore;

  @Option(
      names = "--report-period",
      paramLabel = "DURATION",
      description =
          "Aggregate reporting period from 00:00 UTC: 1d (the default), or a length dividing a day"
              + " such as 1h or 4h, or whole days up to 7d (report.period).")
  String reportPeriod;

  @Option(
      names = "--warmup-messages",
      paramLabel = "N",
      description =
          "Synthetic messages sent through the pipeline at start, on loopback, so that the first"
              + " real ones find it compiled (default: 1000; 0: none; it gives way to the first real"
              + " session) (warmup-messages).")
  Integer warmupMessages;

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
      if (warmupMessages != null) {
        c = c.withWarmupMessages(warmupMessages);
      }
      if (reportOrg != null || reportEmail != null || stateDir != null || reportStore != null) {
        c = c.withReport(c.report().with(reportOrg, reportEmail, stateDir, reportStore));
      }
      if (reportPeriod != null) {
        c = c.withReport(c.report().withPeriod(period(reportPeriod)));
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

  private static Duration period(String text) {
    try {
      Duration d = FilterConfigYaml.parseDuration(text);
      new ReportPeriod(d);
      return d;
    } catch (IllegalArgumentException e) {
      throw new InputException("--report-period " + text + ": " + e.getMessage(), e);
    }
  }

  /**
   * The configuration {@code serve} runs: {@link #configuration()}, its listed keys through the
   * {@link SigningKeyGate} (a key whose published record does not match it does not sign), and the
   * managed keys of the state directory that sign now.
   */
  FilterConfig running() {
    FilterConfig c = configuration();
    List<SigningKey> keys = new ArrayList<>(SigningKeyGate.admit(c.signing().keys(), c));
    managedStore(c).ifPresent(store -> keys.addAll(ManagedKeys.signing(store)));
    return c.withSigningKeys(keys);
  }

  /**
   * The store of the managed keys: under {@code --state-dir}, else {@code signing.state-dir}, else
   * {@code report.state-dir}; with none of them, under the default {@code /var/lib/authmill} when
   * {@code authmill keys} has put a state there.
   */
  Optional<KeyStore> managedStore(FilterConfig c) {
    Path dir = stateDir;
    if (dir == null && c.signing().stateDir() != null) {
      dir = Path.of(c.signing().stateDir());
    }
    if (dir == null && c.report().stateDir() != null) {
      dir = c.report().stateDir();
    }
    if (dir == null) {
      KeyStore fallback = KeyStore.at(Path.of(KeysStateOptions.DEFAULT_STATE_DIR));
      return java.nio.file.Files.exists(fallback.stateFile())
          ? Optional.of(fallback)
          : Optional.empty();
    }
    return Optional.of(KeyStore.at(dir));
  }

  /** Runs the managed keys' due steps on a timer and reloads the filter when they change. */
  private void maintainKeys(FilterConfig initial, FilterServer server) {
    managedStore(initial)
        .ifPresent(
            store ->
                new KeyMaintenance(
                        KeyRotator.builder(store)
                            .verifyWait(Duration.ZERO)
                            .recursive(
                                initial.dns().nameservers().stream()
                                    .map(SigningKeyGate::address)
                                    .toList())
                            .build(),
                        initial.signing().rotateEveryDuration(),
                        ManagedKeys.signing(store),
                        () -> {
                          try {
                            server.reload(running());
                          } catch (RuntimeException e) {
                            LOG.error(
                                "reload with the new keys failed, keeping the previous ones: {}",
                                e.getMessage());
                          }
                        })
                    .start(initial.signing().keyCheckInterval()));
  }

  @Override
  public Integer call() {
    if (System.getenv("AUTHMILL_LOG_LEVEL") == null
        && LoggerFactory.getLogger("org.authmill") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(Level.INFO);
    }
    FilterConfig initial = running();
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
            server.reload(running());
          } catch (RuntimeException e) {
            LOG.error("reload failed, keeping the previous configuration: {}", e.getMessage());
          }
        });
    maintainKeys(initial, server);
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
      server.flushReports();
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
