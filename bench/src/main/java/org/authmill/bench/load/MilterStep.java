package org.authmill.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.authmill.milter.client.MilterMessage;
import org.authmill.testkit.FreePort;
import org.authmill.testkit.NsdServer;

/**
 * Step {@code milter} of {@code bench/run}: the load generator ({@link MilterLoad}) against {@code
 * authmill serve} (SPF, DKIM and DMARC verification) and OpenDKIM ({@code Mode v}) with the same
 * DKIM-signed messages in the same run; both ask the same NSD for the keys (authmill directly,
 * OpenDKIM through its libunbound resolver forwarding to NSD's port).
 *
 * <p>After a check that both filters say {@code dkim=pass} and a warm-up, rounds alternate the
 * order of the two filters (ABBA) at saturation; {@code ratio.milter_vs_opendkim} is the median of
 * the rounds' ratios of messages/s. Then each filter gets a fixed offered rate of half its own
 * median saturation rate, in alternating rounds too, for its latency percentiles. Each filter's CPU
 * time per message comes from {@code /proc/PID/stat}.
 *
 * <pre>
 * java -cp benchmarks.jar org.authmill.bench.load.MilterStep --out milter.properties \
 *     --jar filter-server/target/authmill.jar [--quick] [--rounds N] [--connections N] \
 *     [--messages N] [--per-connection N] [--work DIR]
 * </pre>
 */
public final class MilterStep {
  private MilterStep() {}

  public static void main(String[] args) throws Exception {
    StepArgs a =
        StepArgs.parse(
            args,
            Set.of(
                "--out",
                "--jar",
                "--rounds",
                "--connections",
                "--messages",
                "--per-connection",
                "--work",
                "--warmup"),
            Set.of("--quick"));
    boolean quick = a.flag("--quick");
    StepOutput out = new StepOutput(a.path("--out"));
    Path jar = a.path("--jar");
    int rounds = a.integer("--rounds", quick ? 2 : 6);
    int connections = a.integer("--connections", 50);
    int messages = a.integer("--messages", quick ? 1000 : 8000);
    int perConnection = a.integer("--per-connection", 1);
    int warmup = a.integer("--warmup", quick ? 1000 : 30_000);
    Path work =
        a.flag("--work")
            ? Files.createDirectories(a.path("--work"))
            : Files.createTempDirectory("authmill-bench-milter");
    int code =
        new MilterStep()
            .run(out, jar, work, quick, rounds, connections, messages, perConnection, warmup);
    System.exit(code);
  }

  private int run(
      StepOutput out,
      Path jar,
      Path work,
      boolean quick,
      int rounds,
      int connections,
      int messages,
      int perConnection,
      int warmup)
      throws Exception {
    log("milter: keys, messages, NSD, authmill serve and opendkim (work directory " + work + ")");
    BenchDomain domain = BenchDomain.generate();
    List<MilterMessage> pool = LoadMessages.forMilter(LoadMessages.signed(256, 4096, domain.key()));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try (NsdServer nsd = Cleanup.register(NsdServer.serving(domain.zone()));
        Daemon authmill =
            Cleanup.register(Daemon.authmill(jar, nsd.port(), work.resolve("authmill.log")));
        Daemon opendkim = Cleanup.register(startOpendkim(work, nsd.port()));
        Daemon rspamd = Cleanup.register(startRspamd(work, nsd.port()))) {
      out.put("milter.connections", Integer.toString(connections));
      out.put("milter.messages_per_connection", Integer.toString(perConnection));
      out.put("milter.body_bytes", "4096");
      List<Target> targets = new ArrayList<>();
      targets.add(new Target("authmill", authmill));
      targets.add(new Target("opendkim", opendkim));
      if (rspamd != null) {
        targets.add(new Target("rspamd", rspamd));
      }
      for (Target t : targets) {
        MilterLoad.Settings one =
            new MilterLoad.Settings(
                t.name, SocketAddress.inetSocketAddress(t.daemon.port(), "127.0.0.1"), 1, 1, 0, 1);
        LoadResult check = MilterLoad.run(vertx, one, pool, 60);
        String verdict = MilterLoad.lastAuthResults;
        log("milter: " + t.name + " says: " + verdict);
        // authmill and rspamd check SPF and DMARC too (the same work); OpenDKIM only DKIM.
        boolean all =
            t.name.equals("opendkim")
                || verdict != null
                    && verdict.contains("spf=pass")
                    && verdict.contains("dmarc=pass");
        if (check.passed() != 1 || !all) {
          throw new IllegalStateException(
              t.name
                  + " did not say dkim=pass (and spf=pass, dmarc=pass) for a good message: "
                  + check
                  + "\n"
                  + t.daemon.logTail());
        }
        t.settings =
            new MilterLoad.Settings(
                t.name,
                SocketAddress.inetSocketAddress(t.daemon.port(), "127.0.0.1"),
                connections,
                messages,
                0,
                perConnection);
      }
      // The replies each filter makes the load generator wait for (it streams whatever the filter
      // negotiated away, as Postfix does), through a counting proxy, apart from the measurements.
      for (Target t : targets) {
        try (MilterTrace trace = MilterTrace.start(t.daemon.port())) {
          MilterLoad.Settings traced =
              new MilterLoad.Settings(
                  t.name,
                  SocketAddress.inetSocketAddress(trace.port(), "127.0.0.1"),
                  10,
                  100,
                  0,
                  1);
          LoadResult r = MilterLoad.run(vertx, traced, pool, 300);
          if (r.failures() > 0) {
            throw new IllegalStateException(t.name + " through the trace proxy: " + r);
          }
          out.putAll(trace.properties("milter_waits.load_generator." + t.name));
          log(
              "milter: "
                  + t.name
                  + " makes the client wait "
                  + trace.waits()
                  + " per "
                  + trace.messages()
                  + " messages");
          if (t.name.equals("authmill")) {
            out.put("milter_waits_per_message.load_generator", trace.waitsPerMessage());
          }
        }
      }
      for (Target t : targets) {
        log("milter: warming up " + t.name + " (" + warmup + " messages)");
        LoadResult w = measure(vertx, t, t.settings.withMessages(warmup), pool);
        log("milter:   " + w);
      }

      Map<String, List<Double>> ratios = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        Map<String, LoadResult> round = new LinkedHashMap<>();
        for (Target t : rotated(targets, r)) {
          LoadResult result = measure(vertx, t, t.settings, pool);
          log("milter: round " + (r + 1) + "/" + rounds + " " + result);
          t.saturation.add(result);
          round.put(t.name, result);
        }
        for (Target peer : targets.subList(1, targets.size())) {
          List<Double> each = ratios.computeIfAbsent(peer.name, k -> new ArrayList<>());
          each.add(round.get("authmill").rate() / round.get(peer.name).rate());
          out.put("ratio.milter_vs_" + peer.name, StepOutput.median(each));
          out.put("ratio.milter_vs_" + peer.name + ".rounds", StepOutput.list(each));
        }
      }
      for (Target t : targets) {
        out.putAll(summary("milter." + t.name + ".saturation", t.saturation));
      }
      for (Target peer : targets.subList(1, targets.size())) {
        out.put(
            "ratio_cpu.milter_vs_" + peer.name,
            median(peer.saturation, LoadResult::cpuMicrosPerMessage)
                / median(targets.get(0).saturation, LoadResult::cpuMicrosPerMessage));
      }

      // Half of each filter's own saturation rate, open loop, for long enough to see a p99.9.
      double seconds = quick ? 3 : 10;
      int rateRounds = quick ? 1 : Math.max(2, rounds / 2);
      for (int r = 0; r < rateRounds; r++) {
        for (Target t : rotated(targets, r)) {
          double rate = median(t.saturation, LoadResult::rate) / 2;
          int count = (int) Math.max(500, Math.round(rate * seconds));
          LoadResult result = measure(vertx, t, t.settings.atRate(rate).withMessages(count), pool);
          log("milter: half rate " + (r + 1) + "/" + rateRounds + " " + result);
          t.halfRate.add(result);
        }
      }
      for (Target t : targets) {
        out.putAll(summary("milter." + t.name + ".half_rate", t.halfRate));
      }
      for (Target t : targets) {
        try {
          out.put("milter." + t.name + ".rss_mib_after", t.daemon.rssMib());
        } catch (IOException e) {
          log("milter: " + t.name + " is gone: " + t.daemon.logTail());
        }
      }
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /**
   * The filters in round {@code r}'s order: the list rotated by {@code r} and reversed in odd
   * rounds, so that with two filters the order alternates (ABBA) and with three each takes every
   * position.
   */
  static <T> List<T> rotated(List<T> targets, int r) {
    List<T> order = new ArrayList<>(targets);
    java.util.Collections.rotate(order, -(r / 2));
    if (r % 2 == 1) {
      java.util.Collections.reverse(order);
    }
    return order;
  }

  /**
   * rspamd in milter mode (see {@link Daemon#rspamd}), or null with a message when it is not
   * installed (Debian package {@code rspamd}): its ratios are then n/a.
   */
  static Daemon startRspamd(Path work, int nsdPort) throws IOException {
    if (!onPath("rspamd")) {
      log("rspamd is not installed (Debian package rspamd): its ratios are n/a");
      return null;
    }
    return Daemon.rspamd(
        work,
        nsdPort,
        Path.of(System.getProperty("java.io.tmpdir"), "authmill-bench-rspamd-hs"),
        work.resolve("rspamd.out"),
        null);
  }

  /** Whether a command is in one of PATH's directories (or /usr/sbin). */
  static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** One filter under test and its results. */
  private static final class Target {
    final String name;
    final Daemon daemon;
    MilterLoad.Settings settings;
    final List<LoadResult> saturation = new ArrayList<>();
    final List<LoadResult> halfRate = new ArrayList<>();

    Target(String name, Daemon daemon) {
      this.name = name;
      this.daemon = daemon;
    }
  }

  /** One run, with the filter's CPU time over it. */
  private static LoadResult measure(
      Vertx vertx, Target t, MilterLoad.Settings settings, List<MilterMessage> pool)
      throws Exception {
    double before = t.daemon.cpuSeconds();
    LoadResult result = MilterLoad.run(vertx, settings, pool, 1800);
    if (result.failures() > 0) {
      // A failed transaction is a tempfail behind Postfix: a rate that left some out is no rate.
      throw new IllegalStateException(
          t.name
              + ": "
              + result.failures()
              + " transaction(s) failed: "
              + result
              + "\n"
              + t.daemon.logTail());
    }
    return result.withCpuSeconds(t.daemon.cpuSeconds() - before);
  }

  /** Medians over rounds of messages/s, latency percentiles and CPU per message. */
  static Map<String, String> summary(String prefix, List<LoadResult> results) {
    Map<String, String> out = new LinkedHashMap<>();
    if (results.isEmpty()) {
      return out;
    }
    if (results.get(0).offeredRate() > 0) {
      out.put(
          prefix + ".offered_msgs_per_s",
          LoadResult.format(median(results, LoadResult::offeredRate)));
    }
    out.put(prefix + ".msgs_per_s", LoadResult.format(median(results, LoadResult::rate)));
    out.put(prefix + ".p50_ms", LoadResult.format(median(results, LoadResult::p50Millis)));
    out.put(prefix + ".p99_ms", LoadResult.format(median(results, LoadResult::p99Millis)));
    out.put(prefix + ".p999_ms", LoadResult.format(median(results, LoadResult::p999Millis)));
    out.put(
        prefix + ".cpu_us_per_msg",
        LoadResult.format(median(results, LoadResult::cpuMicrosPerMessage)));
    out.put(
        prefix + ".messages",
        Integer.toString(results.stream().mapToInt(LoadResult::messages).sum()));
    out.put(
        prefix + ".failures",
        Integer.toString(results.stream().mapToInt(LoadResult::failures).sum()));
    out.put(
        prefix + ".dkim_pass",
        Integer.toString(results.stream().mapToInt(LoadResult::passed).sum()));
    out.put(prefix + ".rounds", Integer.toString(results.size()));
    return out;
  }

  private static double median(List<LoadResult> results, ToDoubleFunction<LoadResult> f) {
    return StepOutput.median(results.stream().map(f::applyAsDouble).toList());
  }

  /** OpenDKIM in verify mode, its resolver forwarding everything to NSD's port. */
  static Daemon startOpendkim(Path work, int nsdPort) throws IOException {
    int port = FreePort.tcpAndUdp();
    Path unbound = work.resolve("unbound.conf");
    Files.writeString(
        unbound,
        "server:\n  do-not-query-localhost: no\n  module-config: \"iterator\"\n"
            + "forward-zone:\n  name: \".\"\n  forward-addr: 127.0.0.1@"
            + nsdPort
            + "\n");
    Path conf = work.resolve("opendkim-verify.conf");
    Files.writeString(
        conf,
        "Mode v\n"
            + "Syslog no\n"
            + "AuthservID "
            + BenchDomain.AUTHSERV_ID
            + "\n"
            + "Socket inet:"
            + port
            + "@127.0.0.1\n"
            + "PidFile "
            + work.resolve("opendkim-verify.pid")
            + "\n"
            + (!"unbound".equals(System.getenv("BENCH_OPENDKIM_DNS"))
                ? "Nameservers 127.0.0.1@" + nsdPort + "\n"
                : "ResolverConfiguration " + unbound + "\n"));
    return Daemon.opendkim(conf, port, work.resolve("opendkim-verify.log"));
  }

  static void log(String line) {
    System.err.println("bench: " + line);
  }
}
