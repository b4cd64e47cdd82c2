package org.authmill.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.authmill.milter.MilterProtocol;
import org.authmill.milter.client.MilterClient;
import org.authmill.milter.client.MilterMessage;
import org.authmill.milter.client.MilterResult;
import org.authmill.testkit.NsdServer;

/**
 * Step {@code memory} of {@code bench/run}, against {@code authmill serve} in its own JVM with the
 * packaged JVM options ({@code -Xms64m -Xmx512m}), verifying (SPF, DKIM, DMARC; keys from NSD):
 *
 * <ul>
 *   <li>{@code rss_mb.1000_connections}: the server's resident set ({@code VmRSS}) while 1,000
 *       milter connections are each in the middle of a message (negotiated, CONNECT, HELO, MAIL,
 *       RCPT, every header field, end of headers, the first half of a 4 KiB body), after a warm-up
 *       of 500 whole messages, once the server's CPU time has stopped growing.
 *   <li>{@code heap_growth_mb.50mib_message}: the server's live heap (the sum of the generations'
 *       {@code used} from {@code jcmd PID GC.heap_info} right after {@code jcmd PID GC.run}, a full
 *       collection) while one DKIM-signed message with a 50 MiB body is in the milter (the whole
 *       body sent, end of message not yet), and after its end of message, minus the same measure
 *       before it; the larger of the two.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks.jar org.authmill.bench.load.MemoryStep --out memory.properties \
 *     --jar filter-server/target/authmill.jar [--quick] [--connections N] [--big-mib N] [--work DIR]
 * </pre>
 */
public final class MemoryStep {
  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private MemoryStep() {}

  public static void main(String[] args) throws Exception {
    StepArgs a =
        StepArgs.parse(
            args,
            Set.of("--out", "--jar", "--connections", "--big-mib", "--work"),
            Set.of("--quick"));
    StepOutput out = new StepOutput(a.path("--out"));
    Path jar = a.path("--jar");
    int connections = a.integer("--connections", 1000);
    int bigMib = a.integer("--big-mib", 50);
    Path work =
        a.flag("--work")
            ? Files.createDirectories(a.path("--work"))
            : Files.createTempDirectory("authmill-bench-memory");
    run(out, jar, work, connections, bigMib);
    System.exit(0);
  }

  private static void run(StepOutput out, Path jar, Path work, int connections, int bigMib)
      throws Exception {
    log("memory: keys, messages, NSD and authmill serve (work " + work + ")");
    BenchDomain domain = BenchDomain.generate();
    List<MilterMessage> pool = LoadMessages.forMilter(LoadMessages.signed(64, 4096, domain.key()));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try (NsdServer nsd = Cleanup.register(NsdServer.serving(domain.zone()));
        Daemon authmill =
            Cleanup.register(
                Daemon.authmill(jar, nsd.port(), work.resolve("authmill-memory.log")))) {
      SocketAddress target = SocketAddress.inetSocketAddress(authmill.port(), "127.0.0.1");
      out.put("memory.jvm_options", String.join(" ", Daemon.PACKAGED_JVM_OPTIONS));
      LoadResult warm =
          MilterLoad.run(
              vertx, new MilterLoad.Settings("authmill", target, 20, 500, 0, 1), pool, 600);
      log("memory: warm-up " + warm);
      if (warm.passed() != warm.messages() || warm.failures() > 0) {
        throw new IllegalStateException(
            "the warm-up did not pass: " + warm + "\n" + authmill.logTail());
      }
      awaitQuiet(authmill);
      out.put("memory.rss_mb.idle", authmill.rssMib());

      List<MilterClient> open = new ArrayList<>();
      try {
        for (int i = 0; i < connections; i += 50) {
          List<Future<MilterClient>> batch = new ArrayList<>();
          for (int j = i; j < Math.min(connections, i + 50); j++) {
            batch.add(midMessage(vertx, target, pool.get(j % pool.size()), j));
          }
          for (Future<MilterClient> f : batch) {
            open.add(f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
          }
        }
        awaitQuiet(authmill);
        int established = Daemon.established(authmill.port());
        double rss = authmill.rssMib();
        log(
            String.format(
                java.util.Locale.ROOT,
                "memory: %d connections mid-message (%d established at the server): RSS %.1f MiB,"
                    + " live heap %.1f MiB",
                open.size(),
                established,
                rss,
                liveHeapMib(authmill)));
        if (established < connections) {
          throw new IllegalStateException(
              "only " + established + " of " + connections + " connections are established");
        }
        out.put("memory.connections", Integer.toString(connections));
        out.put("rss_mb.1000_connections", rss);
        out.put("memory.heap_live_mb.1000_connections", liveHeapMib(authmill));
      } finally {
        for (MilterClient c : open) {
          c.abort();
          c.quit();
        }
      }
      awaitQuiet(authmill);

      log("memory: a DKIM-signed message with a " + bigMib + " MiB body");
      MilterMessage big =
          LoadMessages.forMilter(LoadMessages.signed(1, bigMib << 20, domain.key())).get(0);
      double before = liveHeapMib(authmill);
      MilterClient client =
          midMessage(vertx, target, big, -1)
              .toCompletionStage()
              .toCompletableFuture()
              .get(300, TimeUnit.SECONDS);
      awaitQuiet(authmill);
      double during = liveHeapMib(authmill);
      double rssDuring = authmill.rssMib();
      MilterResult result =
          client
              .endOfMessage(Map.of("i", "BIG00001"))
              .toCompletionStage()
              .toCompletableFuture()
              .get(300, TimeUnit.SECONDS);
      client.abort();
      client.quit();
      awaitQuiet(authmill);
      double after = liveHeapMib(authmill);
      boolean pass = MilterLoad.passed(result);
      log(
          String.format(
              java.util.Locale.ROOT,
              "memory: live heap %.1f MiB before, %.1f MiB with the whole body in, %.1f MiB after;"
                  + " dkim=pass: %s",
              before,
              during,
              after,
              pass));
      if (!pass) {
        throw new IllegalStateException(
            "the " + bigMib + " MiB message did not verify: " + result + "\n" + authmill.logTail());
      }
      out.put("memory.big_message_mib", Integer.toString(bigMib));
      out.put("memory.heap_live_mb.before_big", before);
      out.put("memory.heap_live_mb.during_big", during);
      out.put("memory.heap_live_mb.after_big", after);
      out.put("memory.rss_mb.during_big", rssDuring);
      out.put("heap_growth_mb.50mib_message", Math.max(during, after) - before);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A connection in the middle of a message: negotiated, CONNECT, HELO, MAIL, RCPT, DATA, the
   * header fields, end of headers and the first half of the body ({@code index < 0}: the whole
   * body, for a message whose end is sent by the caller). Events follow the replies the filter
   * asked for, as Postfix sends them.
   */
  static Future<MilterClient> midMessage(
      Vertx vertx, SocketAddress target, MilterMessage message, int index) {
    Map<String, String> macros =
        MilterClient.postfixConnectMacros(
            BenchDomain.AUTHSERV_ID, "smtpd", BenchDomain.CLIENT_NAME, BenchDomain.CLIENT_ADDRESS);
    String queueId = index < 0 ? "BIG00001" : String.format("M%07X", index);
    Map<String, String> withId = Map.of("i", queueId);
    Map<String, String> rcptMacros = new LinkedHashMap<>(withId);
    rcptMacros.put("{rcpt_addr}", BenchDomain.RECIPIENT);
    byte[] body = message.body();
    int end = index < 0 ? body.length : body.length / 2;
    return MilterClient.connect(vertx, target, macros)
        .compose(
            c ->
                c.connectEvent(BenchDomain.CLIENT_NAME, address(BenchDomain.CLIENT_ADDRESS), 52_525)
                    .compose(r -> c.helo(BenchDomain.CLIENT_NAME, Map.of()))
                    .compose(
                        r ->
                            c.mail(
                                List.of("<" + BenchDomain.SENDER + ">"),
                                Map.of("{mail_addr}", BenchDomain.SENDER)))
                    .compose(r -> c.rcpt(List.of("<" + BenchDomain.RECIPIENT + ">"), rcptMacros))
                    .compose(r -> c.data(withId))
                    .compose(
                        r -> {
                          List<Future<?>> sent = new ArrayList<>();
                          for (MilterMessage.Field f : message.headers()) {
                            sent.add(c.header(f.name(), f.value(), Map.of()));
                          }
                          sent.add(c.endOfHeaders(withId));
                          for (int off = 0; off < end; off += MilterProtocol.MAX_BODY_CHUNK) {
                            sent.add(
                                c.body(
                                    Arrays.copyOfRange(
                                        body,
                                        off,
                                        Math.min(end, off + MilterProtocol.MAX_BODY_CHUNK)),
                                    Map.of()));
                          }
                          return Future.all(sent).map(x -> c);
                        }));
  }

  /** Waits (at most 30 s) until the server's CPU time grows by under 10 ms in 500 ms. */
  private static void awaitQuiet(Daemon d) {
    Instant deadline = Instant.now().plus(QUIET_TIMEOUT);
    double last = d.cpuSeconds();
    while (Instant.now().isBefore(deadline)) {
      Daemon.sleep(500);
      double now = d.cpuSeconds();
      if (now - last < 0.01) {
        return;
      }
      last = now;
    }
  }

  /** The live heap in MiB: a full GC ({@code jcmd GC.run}), then {@code GC.heap_info}. */
  static double liveHeapMib(Daemon d) throws IOException, InterruptedException {
    jcmd(d.pid(), "GC.run");
    return usedKib(jcmd(d.pid(), "GC.heap_info")) / 1024.0;
  }

  /**
   * The heap in use (KiB) from {@code GC.heap_info}'s text: the sum of the {@code total ...K, used
   * ...K} lines, one for G1's heap, one per generation for the Serial and Parallel collectors
   * (Metaspace lines have no {@code total}).
   */
  static long usedKib(String heapInfo) {
    long used = 0;
    boolean any = false;
    for (String line : heapInfo.split("\n")) {
      Matcher m = USED.matcher(line);
      if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
        used += Long.parseLong(m.group(1));
        any = true;
      }
    }
    if (!any) {
      throw new IllegalArgumentException("no heap usage in GC.heap_info: " + heapInfo);
    }
    return used;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    byte[] text = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "jcmd " + pid + " " + command + " failed: " + new String(text, StandardCharsets.UTF_8));
    }
    return new String(text, StandardCharsets.UTF_8);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static void log(String line) {
    System.err.println("bench: " + line);
  }
}
