package org.authmill.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.authmill.bench.BenchMessages;
import org.authmill.testkit.FreePort;
import org.authmill.testkit.NsdServer;
import org.authmill.testkit.PostfixServer;

/**
 * Step {@code postfix} of {@code bench/run}: {@code smtp-source} → Postfix → {@code smtp-sink} on
 * loopback, with three milter configurations in one run and the same traffic for each.
 *
 * <p>The traffic: half of the messages go to Postfix's smtpd port (inbound: a DKIM-signed message
 * from {@code example.com}, whose SPF record allows 127.0.0.1 and whose DMARC policy is {@code
 * p=reject}), half to the submission port whose {@code {daemon_name}} is {@code ORIGINATING}
 * (outbound: the same message unsigned), by two {@code smtp-source} processes at once, one message
 * per SMTP session (and so one milter connection per message, as Postfix opens one per session).
 *
 * <ul>
 *   <li>{@code none}: no milter.
 *   <li>{@code null}: {@link NullMilter}, which checks nothing and adds one header field: Postfix's
 *       own cost of a milter, and so the ceiling of {@code ratio.postfix_authmill_vs_none} ({@code
 *       ratio.postfix_null_vs_none}).
 *   <li>{@code opendkim}: OpenDKIM ({@code Mode s}) signs every message (both streams come from
 *       127.0.0.1, one of its InternalHosts).
 *   <li>{@code authmill}: {@code authmill serve} verifies the inbound half (SPF, DKIM, DMARC, one
 *       Authentication-Results field) and signs the outbound half.
 * </ul>
 *
 * <p>Before the rounds (not in quick mode), authmill gets a JIT warm-up of {@code --jit-warmup}
 * messages (30,000) straight from the load generator, as a filter that has run for a while.
 *
 * <p>A measurement runs from the start of the two {@code smtp-source} processes until {@code
 * smtp-sink} has every message and Postfix's queue is empty. Rounds rotate the order of the three.
 * After each authmill measurement, the delivered files are checked: every inbound one carries
 * {@code dkim=pass} and {@code dmarc=pass} from authmill, every outbound one authmill's signature.
 *
 * <pre>
 * java -cp benchmarks.jar org.authmill.bench.load.PostfixStep --out postfix.properties \
 *     --jar filter-server/target/authmill.jar [--quick] [--rounds N] [--messages N] \
 *     [--warmup N] [--jit-warmup N] [--sessions N] [--work DIR]
 * </pre>
 */
public final class PostfixStep {
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(600);

  private PostfixStep() {}

  public static void main(String[] args) throws Exception {
    StepArgs a =
        StepArgs.parse(
            args,
            Set.of(
                "--out",
                "--jar",
                "--rounds",
                "--messages",
                "--warmup",
                "--jit-warmup",
                "--sessions",
                "--work"),
            Set.of("--quick"));
    boolean quick = a.flag("--quick");
    StepOutput out = new StepOutput(a.path("--out"));
    Path jar = a.path("--jar");
    int rounds = a.integer("--rounds", quick ? 1 : 3);
    int messages = a.integer("--messages", quick ? 800 : 3000);
    int warmup = a.integer("--warmup", quick ? 400 : 1500);
    int jitWarmup = quick ? 0 : a.integer("--jit-warmup", 30_000);
    int sessions = a.integer("--sessions", 20);
    Path work =
        a.flag("--work")
            ? Files.createDirectories(a.path("--work"))
            : Files.createTempDirectory("authmill-bench-postfix");
    run(
        out,
        jar,
        work,
        rounds,
        messages - messages % 2,
        warmup - warmup % 2,
        jitWarmup,
        Math.max(2, sessions - sessions % 2));
    System.exit(0);
  }

  private static void run(
      StepOutput out,
      Path jar,
      Path work,
      int rounds,
      int messages,
      int warmup,
      int jitWarmup,
      int sessions)
      throws Exception {
    log("postfix: keys, messages, NSD, authmill serve, opendkim and Postfix (work " + work + ")");
    BenchDomain domain = BenchDomain.generate();
    byte[] body = BenchMessages.body(4096);
    Path inbound = work.resolve("inbound.eml");
    Files.write(inbound, LoadMessages.signed(1, 4096, domain.key()).get(0));
    Path outbound = work.resolve("outbound.eml");
    Files.write(outbound, LoadMessages.unsigned(0, body));
    Path key = BenchDomain.writeKey(work.resolve("out.pem"), domain.outboundKey());
    out.put("postfix.messages", Integer.toString(messages));
    out.put("postfix.sessions", Integer.toString(sessions));
    out.put("postfix.body_bytes", "4096");
    try (NsdServer nsd = Cleanup.register(NsdServer.serving(domain.zone()));
        Daemon authmill =
            Cleanup.register(
                Daemon.authmill(
                    jar,
                    nsd.port(),
                    work.resolve("authmill-postfix.log"),
                    "--sign",
                    BenchDomain.DOMAIN + ":" + BenchDomain.OUTBOUND_SELECTOR + ":" + key));
        Daemon opendkim = Cleanup.register(startOpendkimSigner(work, nsd.port(), key));
        Daemon rspamd = Cleanup.register(startRspamdSigner(work, nsd.port(), key));
        NullMilter nullMilter = NullMilter.start()) {
      Map<String, String> milters = new LinkedHashMap<>();
      milters.put("none", "");
      milters.put("null", "inet:127.0.0.1:" + nullMilter.port());
      milters.put("opendkim", "inet:127.0.0.1:" + opendkim.port());
      milters.put("authmill", "inet:127.0.0.1:" + authmill.port());
      Map<String, Daemon> daemons = new LinkedHashMap<>();
      daemons.put("opendkim", opendkim);
      daemons.put("authmill", authmill);
      if (rspamd != null) {
        milters.put("rspamd", "inet:127.0.0.1:" + rspamd.port());
        daemons.put("rspamd", rspamd);
      }
      List<String> configs = List.copyOf(milters.keySet());
      if (jitWarmup > 0) {
        // The filter as it runs in production, for days: past the JIT's warm-up (about 40,000
        // messages, see BENCHMARKS.md), by the load generator on the inbound path; the
        // configuration warm-ups below then cover signing. OpenDKIM (C) has no such phase.
        List<org.authmill.milter.client.MilterMessage> pool =
            LoadMessages.forMilter(LoadMessages.signed(64, 4096, domain.key()));
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
          LoadResult w =
              MilterLoad.run(
                  vertx,
                  new MilterLoad.Settings(
                      "authmill",
                      io.vertx.core.net.SocketAddress.inetSocketAddress(
                          authmill.port(), "127.0.0.1"),
                      50,
                      jitWarmup,
                      0,
                      1),
                  pool,
                  1800);
          log("postfix: JIT warm-up of authmill through the load generator: " + w);
        } finally {
          vertx.close().toCompletionStage().toCompletableFuture().get();
        }
      }
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      configs.forEach(c -> rates.put(c, new ArrayList<>()));
      Map<String, List<Double>> vs = new LinkedHashMap<>();
      List<Double> ceiling = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        Map<String, Double> byConfig = new LinkedHashMap<>();
        for (int i = 0; i < configs.size(); i++) {
          String config = configs.get((i + round) % configs.size());
          Daemon d = daemons.get(config);
          double rate;
          double cpu;
          try (PostfixServer postfix = postfix(milters.get(config))) {
            if (round == 0) {
              // A warm-up on the fresh instance: the JIT of authmill, Postfix's processes.
              double r = measure(postfix, work, inbound, outbound, warmup, sessions);
              log("postfix: warm-up " + config + ": " + LoadResult.format(r) + " msg/s");
            }
            double cpuBefore = d == null ? 0 : d.cpuSeconds();
            rate = measure(postfix, work, inbound, outbound, messages, sessions);
            cpu = d == null ? 0 : d.cpuSeconds() - cpuBefore;
            if (config.equals("authmill")) {
              checkDelivered(postfix, "authmill", messages / 2, messages / 2);
            } else if (config.equals("rspamd")) {
              // rspamd cannot tell the streams apart (see startRspamdSigner): it signs them all
              checkDelivered(postfix, "rspamd", messages / 2, messages);
            }
          }
          log(
              String.format(
                  java.util.Locale.ROOT,
                  "postfix: round %d/%d %s: %d msgs, %.1f msg/s%s",
                  round + 1,
                  rounds,
                  config,
                  messages,
                  rate,
                  d == null
                      ? ""
                      : String.format(", milter CPU %.0f µs/msg", cpu * 1e6 / messages)));
          if (d != null) {
            out.put("postfix." + config + ".milter_cpu_us_per_msg", cpu * 1e6 / messages);
          }
          byConfig.put(config, rate);
          rates.get(config).add(rate);
        }
        ceiling.add(byConfig.get("null") / byConfig.get("none"));
        out.put("ratio.postfix_null_vs_none", StepOutput.median(ceiling));
        out.put("ratio.postfix_null_vs_none.rounds", StepOutput.list(ceiling));
        for (String config : configs) {
          out.put("postfix." + config + ".msgs_per_s", StepOutput.median(rates.get(config)));
          out.put("postfix." + config + ".msgs_per_s.rounds", StepOutput.list(rates.get(config)));
          if (!config.equals("authmill")) {
            List<Double> each = vs.computeIfAbsent(config, k -> new ArrayList<>());
            each.add(byConfig.get("authmill") / byConfig.get(config));
            out.put("ratio.postfix_authmill_vs_" + config, StepOutput.median(each));
            out.put("ratio.postfix_authmill_vs_" + config + ".rounds", StepOutput.list(each));
          }
        }
      }
      traceWaits(out, work, inbound, outbound, authmill, sessions);
    }
  }

  /**
   * The replies real Postfix waits for per message with authmill in its default configuration:
   * Postfix's milter connection goes through a counting proxy ({@link MilterTrace}) for 100
   * messages (half inbound, half outbound); {@code milter_waits_per_message} and per command.
   */
  private static void traceWaits(
      StepOutput out, Path work, Path inbound, Path outbound, Daemon authmill, int sessions)
      throws Exception {
    try (MilterTrace trace = MilterTrace.start(authmill.port());
        PostfixServer postfix = postfix("inet:127.0.0.1:" + trace.port())) {
      measure(postfix, work, inbound, outbound, 100, sessions);
      checkDelivered(postfix, "authmill", 50, 50);
      out.putAll(trace.properties("milter_waits.postfix.authmill"));
      out.put("milter_waits_per_message", trace.waitsPerMessage());
      log(
          "postfix: Postfix waited for "
              + trace.waits()
              + " replies over "
              + trace.messages()
              + " messages; it sent "
              + trace.commands());
    }
  }

  /**
   * A fresh Postfix instance whose smtpd uses the milter (or none). Not {@code postfix reload}:
   * after a few reloads with an instance-private postlogd, smtpd processes blocked on logging.
   */
  private static PostfixServer postfix(String milter) {
    return Cleanup.register(PostfixServer.builder().milter(milter).start());
  }

  /**
   * Sends {@code messages} (half inbound to smtpd, half outbound to submission) and waits until
   * smtp-sink has them all and the queue is empty; returns messages/s.
   */
  static double measure(
      PostfixServer postfix, Path work, Path inbound, Path outbound, int messages, int sessions)
      throws IOException, InterruptedException {
    clearSink(postfix);
    postfix.awaitQueueEmpty(Duration.ofSeconds(60));
    long start = System.nanoTime();
    Process in = smtpSource(work, "in", inbound, postfix.smtpPort(), messages / 2, sessions / 2);
    Process out =
        smtpSource(work, "out", outbound, postfix.submissionPort(), messages / 2, sessions / 2);
    for (Process p : List.of(in, out)) {
      if (!p.waitFor(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        in.destroyForcibly();
        out.destroyForcibly();
        throw new IllegalStateException("smtp-source did not finish within " + DRAIN_TIMEOUT);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "smtp-source failed ("
                + p.exitValue()
                + "): "
                + Files.readString(work.resolve("smtp-source-in.log"))
                + Files.readString(work.resolve("smtp-source-out.log")));
      }
    }
    Instant deadline = Instant.now().plus(DRAIN_TIMEOUT);
    while (sinkCount(postfix) < messages || postfix.queued() > 0) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "only "
                + sinkCount(postfix)
                + " of "
                + messages
                + " messages reached smtp-sink within "
                + DRAIN_TIMEOUT
                + ", "
                + postfix.queued()
                + " queued; see "
                + postfix.directory().resolve("postfix.log"));
      }
      Daemon.sleep(20);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return messages / seconds;
  }

  private static Process smtpSource(
      Path work, String name, Path message, int port, int count, int sessions) throws IOException {
    return new ProcessBuilder(
            "smtp-source",
            "-s",
            Integer.toString(sessions),
            "-m",
            Integer.toString(count),
            "-F",
            message.toString(),
            "-f",
            BenchDomain.SENDER,
            "-t",
            BenchDomain.RECIPIENT,
            "-M",
            BenchDomain.CLIENT_NAME,
            "127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("smtp-source-" + name + ".log").toFile())
        .start();
  }

  private static int sinkCount(PostfixServer postfix) throws IOException {
    try (Stream<Path> files = Files.list(postfix.sinkDirectory())) {
      return (int) files.count();
    }
  }

  private static void clearSink(PostfixServer postfix) throws IOException {
    try (Stream<Path> files = Files.list(postfix.sinkDirectory())) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The filter's verdicts in the delivered messages: {@code verifiedExpected} carry an
   * Authentication-Results field with dkim=pass and dmarc=pass (from authmill: with the bench's
   * authserv-id), {@code signedExpected} the filter's signature with the outbound selector.
   */
  private static void checkDelivered(
      PostfixServer postfix, String filter, int verifiedExpected, int signedExpected)
      throws IOException {
    int verified = 0;
    int signed = 0;
    String example = "";
    try (Stream<Path> files = Files.list(postfix.sinkDirectory())) {
      for (Path p : files.toList()) {
        String head = String.join("\n", PostfixServer.headerLines(p));
        example = head;
        String results =
            filter.equals("authmill")
                ? "Authentication-Results: " + BenchDomain.AUTHSERV_ID
                : "Authentication-Results:";
        if (head.contains(results) && head.contains("dkim=pass") && head.contains("dmarc=pass")) {
          verified++;
        }
        if (head.contains("s=" + BenchDomain.OUTBOUND_SELECTOR + ";")) {
          signed++;
        }
      }
    }
    if (verified != verifiedExpected || signed != signedExpected) {
      throw new IllegalStateException(
          filter
              + ": expected "
              + verifiedExpected
              + " verified and "
              + signedExpected
              + " signed messages, got "
              + verified
              + " and "
              + signed
              + "; the last one's header:\n"
              + example);
    }
  }

  /** OpenDKIM signing mail from 127.0.0.1 (its default InternalHosts) for the bench domain. */
  static Daemon startOpendkimSigner(Path work, int nsdPort, Path key) throws IOException {
    int port = FreePort.tcpAndUdp();
    Path conf = work.resolve("opendkim-sign.conf");
    Files.writeString(
        conf,
        "Mode s\n"
            + "Syslog no\n"
            + "Domain "
            + BenchDomain.DOMAIN
            + "\n"
            + "Selector "
            + BenchDomain.OUTBOUND_SELECTOR
            + "\n"
            + "KeyFile "
            + key
            + "\n"
            + "Canonicalization relaxed/relaxed\n"
            + "RequireSafeKeys no\n"
            + "Socket inet:"
            + port
            + "@127.0.0.1\n"
            + "PidFile "
            + work.resolve("opendkim-sign.pid")
            + "\n"
            + "Nameservers 127.0.0.1@"
            + nsdPort
            + "\n",
        StandardCharsets.US_ASCII);
    return Daemon.opendkim(conf, port, work.resolve("opendkim-sign.log"));
  }

  /**
   * rspamd (see {@link Daemon#rspamd}) checking SPF, DKIM and DMARC and signing for the bench
   * domain with the same key as the others, or null when not installed. Both of the step's streams
   * come from 127.0.0.1 without SMTP AUTH, so rspamd cannot tell submission from inbound: it checks
   * and signs every message (OpenDKIM signs every message; authmill checks the inbound half and
   * signs the outbound half).
   */
  static Daemon startRspamdSigner(Path work, int nsdPort, Path key) throws IOException {
    if (!MilterStep.onPath("rspamd")) {
      log(
          "rspamd is not installed (Debian package rspamd): ratio.postfix_authmill_vs_rspamd is n/a");
      return null;
    }
    String signing =
        String.join(
            "\n",
            "dkim_signing {",
            "  sign_local = true;",
            "  sign_inbound = true;",
            "  sign_authenticated = true;",
            "  allow_hdrfrom_mismatch = true;",
            "  allow_username_mismatch = true;",
            "  use_esld = false;",
            "  domain {",
            "    " + BenchDomain.DOMAIN + " {",
            "      selector = \"" + BenchDomain.OUTBOUND_SELECTOR + "\";",
            "      path = \"" + key + "\";",
            "    }",
            "  }",
            "}");
    return Daemon.rspamd(
        Files.createDirectories(work.resolve("rspamd-sign")),
        nsdPort,
        Path.of(System.getProperty("java.io.tmpdir"), "authmill-bench-rspamd-hs"),
        work.resolve("rspamd-sign.out"),
        signing);
  }

  static void log(String line) {
    System.err.println("bench: " + line);
  }
}
