package org.authmill.server;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.authmill.dkim.DkimSigner;
import org.authmill.dmarc.DmarcMode;
import org.authmill.dns.CachingResolver;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DnsjavaResolver;
import org.authmill.dns.ZoneResolver;
import org.authmill.milter.MailEvent;
import org.authmill.milter.MailFilter;
import org.authmill.milter.MailFilterFactory;
import org.authmill.milter.MilterMetrics;
import org.authmill.milter.MilterServer;
import org.authmill.report.ReportService;
import org.authmill.report.ReportSettings;
import org.authmill.server.auth.OutboundSigners;
import org.authmill.server.signing.SigningKeys;
import org.authmill.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * The running filter: the milter server, the metrics endpoint, and the configuration they run with.
 * {@link #reload} swaps in a new configuration (new sessions get it; sessions in flight keep
 * theirs); {@link #stop} stops accepting and lets sessions in flight finish within the configured
 * grace.
 */
public final class FilterServer {
  private static final Logger LOG = LoggerFactory.getLogger(FilterServer.class);

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final MilterMetrics metrics;
  private final Function<PipelineContext, MailFilterFactory> pipeline;
  private volatile FilterConfig config;
  private ConfigMeters meters;
  private MilterServer milter;
  private MetricsServer metricsServer;
  private volatile boolean serving;
  private final io.vertx.core.WorkerExecutor workers;
  private Optional<ReportService> reports = Optional.empty();
  private volatile Warmup warmup;

  private FilterServer(
      Vertx vertx, FilterConfig config, Function<PipelineContext, MailFilterFactory> pipeline) {
    this.vertx = vertx;
    this.config = config;
    this.pipeline = pipeline;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics = new MilterMetrics(registry);
    this.workers =
        vertx.createSharedWorkerExecutor(
            "authmill-worker", Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  /** Runs a task on the worker pool, off the event loops; order is not kept. */
  private void runOnWorker(Runnable task) {
    workers.executeBlocking(
        () -> {
          task.run();
          return null;
        },
        false);
  }

  /**
   * Starts the filter with the standard {@link Pipeline}, and then its start-up warm-up ({@link
   * FilterConfig#warmupMessages()}).
   *
   * @throws ConfigException if the configuration cannot be run (keys, DNS, tables)
   */
  public static Future<FilterServer> start(Vertx vertx, FilterConfig config) {
    return start(vertx, config, Pipeline::factory, true);
  }

  /**
   * Starts the filter with the given pipeline, without a start-up warm-up (its synthetic mail would
   * reach filters whose effects this server does not know).
   *
   * @throws ConfigException if the configuration cannot be run (keys, DNS, tables)
   */
  public static Future<FilterServer> start(
      Vertx vertx, FilterConfig config, Function<PipelineContext, MailFilterFactory> pipeline) {
    return start(vertx, config, pipeline, false);
  }

  private static Future<FilterServer> start(
      Vertx vertx,
      FilterConfig config,
      Function<PipelineContext, MailFilterFactory> pipeline,
      boolean warmup) {
    FilterServer server = new FilterServer(vertx, config, pipeline);
    server.reports = startReports(config, server.registry);
    Prepared prepared;
    try {
      prepared = server.prepare(config);
    } catch (RuntimeException e) {
      server.reports.ifPresent(ReportService::close);
      throw e;
    }
    MilterServer.Setup setup = prepared.setup();
    server.takeEffect(prepared);
    if (config.listen().isUnix()) {
      removeStaleSocket(java.nio.file.Path.of(config.listen().path()));
    }
    return MilterServer.start(
            vertx, config.listen().socketAddress(), config.eventLoops(), setup, server.metrics)
        .compose(
            milter -> {
              server.milter = milter;
              server.serving = true;
              LOG.info(
                  "authmill milter listening on {} (authserv-id {}, crypto {})",
                  milter.address(),
                  config.authservId(),
                  org.authmill.dkim.NativeCrypto.describe());
              if (config.metrics() == null) {
                return Future.succeededFuture(server);
              }
              return MetricsServer.start(
                      vertx, config.metrics(), server.registry, () -> server.serving)
                  .map(
                      m -> {
                        server.metricsServer = m;
                        LOG.info(
                            "metrics on http://{}/metrics",
                            new HostPort(config.metrics().host(), m.port()));
                        return server;
                      });
            })
        .onSuccess(
            s -> {
              if (warmup) {
                s.startWarmup(config);
              }
            })
        .onFailure(e -> server.reports.ifPresent(ReportService::close));
  }

  /**
   * Deletes a socket file that nothing listens on any more (left by a crash), so the bind succeeds;
   * a socket something still answers on is left alone, and the bind then fails.
   */
  static void removeStaleSocket(java.nio.file.Path path) {
    if (!java.nio.file.Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (java.nio.channels.SocketChannel probe =
        java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      probe.connect(java.net.UnixDomainSocketAddress.of(path));
      // something listens: leave it
    } catch (IOException refused) {
      try {
        java.nio.file.Files.delete(path);
        LOG.info("removed the stale socket {}", path);
      } catch (IOException e) {
        throw new ConfigException(
            "listen: cannot remove the stale socket " + path + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Starts DMARC aggregate reporting when the configuration turns it on: opens (and migrates) the
   * store, starts the recorder and the scheduled sender. Reports are signed with the first signing
   * key that applies to the report address. Started once: a reload keeps it.
   *
   * @throws ConfigException when the report settings or the store are unusable
   */
  private static Optional<ReportService> startReports(FilterConfig config, MeterRegistry registry) {
    if (!config.report().enabled()) {
      return Optional.empty();
    }
    try {
      ReportSettings settings = config.report().settings();
      Optional<DkimSigner> signer = Optional.empty();
      SigningKeys keys = config.signing().load();
      if (!keys.isEmpty()) {
        signer =
            new OutboundSigners(keys, config.signing().insecureKeyPermissions(), Clock.systemUTC())
                .forSender(settings.email()).stream().findFirst();
      }
      ReportService service = settings.start(resolver(config), registry, signer, DmarcMode.RFC9989);
      LOG.info(
          "DMARC aggregate reports on: store {}, {}",
          settings.location(),
          settings.send() ? "sending via " + settings.relay() : "recording only");
      return Optional.of(service);
    } catch (StoreException | IllegalArgumentException e) {
      throw new ConfigException("report: " + e.getMessage(), e);
    }
  }

  /** Writes the held report counts now (SIGHUP and SIGTERM call this). */
  public void flushReports() {
    reports.ifPresent(ReportService::flush);
  }

  /** The reporting service, when reports are on. */
  public Optional<ReportService> reports() {
    return reports;
  }

  /** What a configuration runs with: the milter setup and the meters of its objects. */
  private record Prepared(MilterServer.Setup setup, ConfigMeters meters) {}

  /** Builds what a configuration runs with; registers nothing yet. */
  private Prepared prepare(FilterConfig config) {
    SigningKeys keys = config.signing().load();
    DnsResolver dns = resolver(config);
    ConfigMeters meters = new ConfigMeters();
    monitorDnsCache(dns, meters);
    PipelineContext context =
        new PipelineContext(config, dns, keys, registry, meters, this::runOnWorker, reports);
    return new Prepared(new MilterServer.Setup(config.milterSettings(), filters(context)), meters);
  }

  /** The pipeline's filters for a context, holding messages when an action quarantines. */
  private MailFilterFactory filters(PipelineContext context) {
    MailFilterFactory factory = pipeline.apply(context);
    if (context.config().quarantines() && !factory.quarantines()) {
      factory = holding(factory);
    }
    return factory;
  }

  /**
   * Starts the {@link Warmup} when the configuration asks for one: the configuration's pipeline,
   * but over the synthetic zone, with the synthetic keys, its own meters, no reports and no message
   * log; on loopback of the listener's address family. Ends when done or at the first real session.
   */
  private void startWarmup(FilterConfig config) {
    if (config.warmupMessages() == 0) {
      return;
    }
    Warmup w =
        new Warmup(
            vertx,
            config.warmupMessages(),
            Math.min(2, config.eventLoops()),
            () -> metrics.openSessions() > 0);
    warmup = w;
    boolean v6 = !config.listen().isUnix() && config.listen().host().contains(":");
    w.start(
            SocketAddress.inetSocketAddress(0, v6 ? "::1" : "127.0.0.1"),
            mail ->
                new MilterServer.Setup(
                    config.milterSettings(),
                    filters(
                        new PipelineContext(
                            config,
                            cached(config, mail.zone()),
                            mail.signingKeys(),
                            new SimpleMeterRegistry(),
                            new ConfigMeters(),
                            this::runOnWorker,
                            Optional.empty())),
                    NOPLogger.NOP_LOGGER))
        .onSuccess(
            o -> {
              if (o.end() == Warmup.End.FAILED) {
                LOG.warn("warm-up: {}", o.describe());
              } else {
                LOG.info("warm-up: {}", o.describe());
              }
            });
  }

  /** How the start-up warm-up went; empty when there was none. */
  Optional<Future<Warmup.Outcome>> warmup() {
    return Optional.ofNullable(warmup).map(Warmup::outcome);
  }

  /** The old configuration's meters go, the new one's are registered. */
  private synchronized void takeEffect(Prepared next) {
    if (meters != null) {
      meters.close();
    }
    next.meters().bindTo(registry);
    meters = next.meters();
  }

  /** The meters of the configuration in force (its caches'). */
  synchronized List<Meter> configurationMeters() {
    return meters == null ? List.of() : meters.meters();
  }

  /** DNS cache size, hits and misses as meters of the configuration. */
  private static void monitorDnsCache(DnsResolver dns, ConfigMeters meters) {
    if (dns instanceof CachingResolver cache) {
      meters.gauge("authmill.dns.cache.size", cache, CachingResolver::size);
      meters.counter("authmill.dns.cache.hits", cache, c -> c.stats().hitCount());
      meters.counter("authmill.dns.cache.misses", cache, c -> c.stats().missCount());
    }
  }

  private static MailFilterFactory holding(MailFilterFactory inner) {
    return new MailFilterFactory() {
      @Override
      public MailFilter create() {
        return inner.create();
      }

      @Override
      public java.util.Set<MailEvent> events() {
        return inner.events();
      }

      @Override
      public java.util.Set<MailEvent> decisions() {
        return inner.decisions();
      }

      @Override
      public boolean quarantines() {
        return true;
      }
    };
  }

  /** The DNS resolver a configuration describes: a zone file, or servers, behind a cache. */
  static DnsResolver resolver(FilterConfig config) {
    FilterConfig.Dns dns = config.dns();
    DnsResolver base;
    if (dns.zoneFile() != null) {
      try {
        base = ZoneResolver.fromFile(dns.zoneFile());
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("dns.zone-file " + dns.zoneFile() + ": " + e.getMessage(), e);
      }
    } else {
      DnsjavaResolver.Builder builder = DnsjavaResolver.builder().timeout(dns.timeout());
      for (String ns : dns.nameservers()) {
        builder.nameserver(nameserver(ns));
      }
      try {
        base = builder.build();
      } catch (IllegalStateException e) {
        throw new ConfigException("dns: " + e.getMessage() + "; set dns.nameservers", e);
      }
    }
    return cached(config, base);
  }

  /** The resolver behind the configuration's DNS cache (none when its size is 0). */
  private static DnsResolver cached(FilterConfig config, DnsResolver base) {
    if (config.caches().dnsEntries() == 0) {
      return base;
    }
    return CachingResolver.builder(base).maximumSize(config.caches().dnsEntries()).build();
  }

  private static InetSocketAddress nameserver(String text) {
    try {
      if (text.startsWith("[") || text.chars().filter(c -> c == ':').count() == 1) {
        HostPort hp = HostPort.parse(text);
        return new InetSocketAddress(literal(text, hp.host()), hp.port());
      }
      return new InetSocketAddress(literal(text, text), 53);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("dns.nameservers: " + e.getMessage(), e);
    }
  }

  private static java.net.InetAddress literal(String text, String host) {
    try {
      Cidr c = Cidr.parse(host);
      return c.network();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(text + ": a name server is an IP address[:PORT]", e);
    }
  }

  /**
   * Applies a new configuration: new sessions see it, sessions in flight keep the old one. The
   * listen address, metrics address and event loops need a restart and are kept.
   *
   * @throws ConfigException if the new configuration cannot be run; the old one stays
   */
  public void reload(FilterConfig next) {
    Objects.requireNonNull(next, "next");
    flushReports();
    if (!next.report().equals(config.report())) {
      LOG.warn("reload: report settings take effect only after a restart");
    }
    Prepared prepared = prepare(next);
    if (!next.listen().equals(config.listen())
        || !Objects.equals(next.metrics(), config.metrics())
        || !next.eventLoops().equals(config.eventLoops())) {
      LOG.warn("reload: listen, metrics and event-loops changes take effect only after a restart");
    }
    milter.update(prepared.setup());
    takeEffect(prepared);
    config = next;
    LOG.info("configuration reloaded (authserv-id {})", next.authservId());
  }

  /** Stops accepting, waits up to the configured grace for sessions in flight, then closes. */
  public Future<Void> stop() {
    return stop(config.limits().shutdownGrace());
  }

  /** Stops accepting, waits up to {@code grace} for sessions in flight, then closes. */
  public Future<Void> stop(Duration grace) {
    serving = false;
    Warmup w = warmup;
    if (w != null) {
      w.stop();
    }
    Future<Void> m = milter == null ? Future.succeededFuture() : milter.shutdown(grace);
    return m.compose(v -> metricsServer == null ? Future.succeededFuture() : metricsServer.close())
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      reports.ifPresent(ReportService::close);
                      return null;
                    }))
        .compose(v -> workers.close())
        .onComplete(
            v -> {
              synchronized (this) {
                if (meters != null) {
                  meters.close();
                }
              }
            });
  }

  /** The configuration in force for new sessions. */
  public FilterConfig config() {
    return config;
  }

  /** The milter's TCP port (the real one when 0 was configured), or -1 for a Unix socket. */
  public int milterPort() {
    return milter.port();
  }

  /** The metrics port, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  /** Open milter sessions now. */
  public int openSessions() {
    return metrics.openSessions();
  }

  /** The Prometheus registry. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
