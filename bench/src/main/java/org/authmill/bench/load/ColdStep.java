package org.authmill.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.authmill.milter.client.MilterMessage;
import org.authmill.testkit.NsdServer;

/**
 * Step {@code cold} of {@code bench/run}: each filter started fresh, as after an upgrade or a
 * reboot, then driven by the load generator ({@link MilterLoad}) at saturation in batches; after
 * each batch the filter's CPU time (user + system of its processes, {@code /proc}) is read. From
 * the curve ({@link ColdCurve}), per filter: CPU per message over the first N messages for each of
 * {@code --sizes} ({@code cold.<filter>.cpu_us_first_<N>}), the steady state (the last {@code
 * --steady} batches, after the largest size: {@code cold.<filter>.cpu_us_steady}) and the messages
 * until two consecutive batches cost within 10% of it ({@code
 * cold.<filter>.messages_to_within_10pct}, -1 when not reached). For authmill also the CPU of its
 * JIT compiler threads and of GC/VM threads over the first N messages, from the threads' names.
 *
 * <p>{@code cold.cpu_us_first_<N>} are authmill's; {@code ratio.cold_vs_warm_cpu} is authmill's CPU
 * per message over the first 10,000 messages ÷ its steady state (the definition), {@code
 * ratio.cold_vs_warm_cpu.<peer>} the same for OpenDKIM and rspamd.
 *
 * <pre>
 * java -cp benchmarks.jar org.authmill.bench.load.ColdStep --out cold.properties \
 *     --jar cli/target/authmill.jar [--quick] [--sizes 1000,10000,50000] [--batch 1000] \
 *     [--steady 10] [--connections 50] [--filters authmill,opendkim,rspamd] [--work DIR] \
 *     [--warmup-messages N]
 * </pre>
 *
 * <p>Filter {@code authmill-warmed} (in the full run's default list, not the quick one's) is
 * authmill measured after its start-up warm-up has run (as when the filter starts before the MTA
 * sends it mail), {@code --warmup-messages} long (default: the filter's own).
 */
public final class ColdStep {
  private ColdStep() {}

  public static void main(String[] args) throws Exception {
    StepArgs a =
        StepArgs.parse(
            args,
            Set.of(
                "--out",
                "--jar",
                "--sizes",
                "--batch",
                "--steady",
                "--connections",
                "--filters",
                "--warmup-messages",
                "--work"),
            Set.of("--quick"));
    boolean quick = a.flag("--quick");
    StepOutput out = new StepOutput(a.path("--out"));
    Path jar = a.path("--jar");
    int[] sizes = sizes(a.string("--sizes", quick ? "1000,10000,30000" : "1000,10000,50000"));
    int batch = a.integer("--batch", 1000);
    int steady = a.integer("--steady", quick ? 5 : 10);
    int connections = a.integer("--connections", 50);
    // authmill-warmed only in the full run: the quick run stays near its time budget
    List<String> filters =
        List.of(
            a.string(
                    "--filters",
                    quick ? "authmill,opendkim,rspamd" : "authmill,authmill-warmed,opendkim,rspamd")
                .split(","));
    // authmill-warmed's start-up warm-up, when not its default
    String warmupMessages = a.string("--warmup-messages", "");
    for (int size : sizes) {
      if (size % batch != 0) {
        throw new IllegalArgumentException(
            "--sizes must be multiples of --batch (" + batch + "): " + size);
      }
    }
    Path work =
        a.flag("--work")
            ? Files.createDirectories(a.path("--work"))
            : Files.createTempDirectory("authmill-bench-cold");
    run(out, jar, work, sizes, batch, steady, connections, filters, warmupMessages);
    System.exit(0);
  }

  static int[] sizes(String text) {
    try {
      int[] out =
          Arrays.stream(text.split(","))
              .mapToInt(s -> Integer.parseInt(s.trim()))
              .sorted()
              .toArray();
      if (out.length == 0 || out[0] < 1) {
        throw new NumberFormatException();
      }
      return out;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--sizes needs positive whole numbers separated by commas, got " + text, e);
    }
  }

  private static void run(
      StepOutput out,
      Path jar,
      Path work,
      int[] sizes,
      int batch,
      int steady,
      int connections,
      List<String> filters,
      String warmupMessages)
      throws Exception {
    log("cold: keys, messages, NSD (work directory " + work + ")");
    BenchDomain domain = BenchDomain.generate();
    List<MilterMessage> pool = LoadMessages.forMilter(LoadMessages.signed(256, 4096, domain.key()));
    int total = sizes[sizes.length - 1] + steady * batch;
    out.put("cold.sizes", Arrays.toString(sizes).replaceAll("[\\[\\] ]", ""));
    out.put("cold.batch", Integer.toString(batch));
    out.put("cold.steady_messages", Integer.toString(steady * batch));
    out.put("cold.connections", Integer.toString(connections));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try (NsdServer nsd = Cleanup.register(NsdServer.serving(domain.zone()))) {
      for (String filter : filters) {
        try (Daemon d = start(filter, jar, work, nsd.port(), warmupMessages)) {
          if (d == null) {
            continue;
          }
          String prefix = "cold." + filter;
          out.put(prefix + ".startup_cpu_ms", d.cpuSeconds() * 1e3);
          MilterLoad.Settings settings =
              new MilterLoad.Settings(
                  filter,
                  SocketAddress.inetSocketAddress(d.port(), "127.0.0.1"),
                  connections,
                  batch,
                  0,
                  1);
          boolean jvm = filter.startsWith("authmill");
          double cpu0 = d.cpuSeconds();
          Map<String, Double> threads0 = jvm ? ProcStats.threadCpuSeconds(d.pid()) : Map.of();
          ColdCurve curve = new ColdCurve();
          int passed = 0;
          while (curve.total() < total) {
            LoadResult r = MilterLoad.run(vertx, settings, pool, 1800);
            if (r.failures() > 0 || r.messages() != batch) {
              throw new IllegalStateException(
                  filter
                      + ": "
                      + r.failures()
                      + " transaction(s) failed: "
                      + r
                      + "\n"
                      + d.logTail());
            }
            passed += r.passed();
            curve.add(curve.total() + batch, d.cpuSeconds() - cpu0);
            int n = curve.total();
            if (Arrays.stream(sizes).anyMatch(s -> s == n)) {
              out.put(prefix + ".cpu_us_first_" + n, curve.firstMicros(n));
              log(
                  String.format(
                      java.util.Locale.ROOT,
                      "cold: %s first %d: %.0f µs/msg (last batch %.1f msg/s)",
                      filter,
                      n,
                      curve.firstMicros(n),
                      r.rate()));
              if (jvm) {
                Map<String, Double> threads = ProcStats.threadCpuSeconds(d.pid());
                for (String group : List.of("jit", "gc", "other")) {
                  out.put(
                      prefix + "." + group + "_cpu_us_first_" + n,
                      (threads.get(group) - threads0.get(group)) * 1e6 / n);
                }
              }
            }
          }
          if (passed != total) {
            throw new IllegalStateException(
                filter + ": " + (total - passed) + " of " + total + " messages without dkim=pass");
          }
          double warm = curve.steadyMicros(steady);
          out.put(prefix + ".cpu_us_steady", warm);
          out.put(
              prefix + ".messages_to_within_10pct",
              Integer.toString(curve.messagesToSteady(steady, 0.10)));
          out.put(prefix + ".cpu_us_per_batch", StepOutput.list(curve.batches()));
          out.put(prefix + ".dkim_pass", Integer.toString(passed));
          out.put(prefix + ".rss_mib_after", d.rssMib());
          double ratio = curve.firstMicros(10_000) / warm;
          if (filter.equals("authmill")) {
            for (int n : sizes) {
              out.put("cold.cpu_us_first_" + n, curve.firstMicros(n));
            }
            out.put("cold.cpu_us_steady", warm);
            out.put("ratio.cold_vs_warm_cpu", ratio);
          } else {
            out.put("ratio.cold_vs_warm_cpu." + filter, ratio);
          }
          log(
              "cold: "
                  + filter
                  + " steady "
                  + LoadResult.format(warm)
                  + " µs/msg, within 10% after "
                  + curve.messagesToSteady(steady, 0.10)
                  + " messages");
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** A fresh filter, or null (with a message) when its package is not installed. */
  private static Daemon start(
      String filter, Path jar, Path work, int nsdPort, String warmupMessages) throws IOException {
    Path dir = Files.createDirectories(work.resolve(filter));
    return switch (filter) {
      case "authmill" ->
          Cleanup.register(Daemon.authmill(jar, nsdPort, dir.resolve("authmill.log")));
      case "authmill-warmed" -> {
        // As an operator's filter meets its first mail when it started before the MTA sent any:
        // its start-up warm-up (1,000 synthetic messages by default) over.
        String[] warmup =
            warmupMessages.isEmpty()
                ? new String[0]
                : new String[] {"--warmup-messages", warmupMessages};
        Daemon d =
            Cleanup.register(Daemon.authmill(jar, nsdPort, dir.resolve("authmill.log"), warmup));
        d.awaitLogLine("warm-up:");
        yield d;
      }
      case "opendkim" -> Cleanup.register(MilterStep.startOpendkim(dir, nsdPort));
      case "rspamd" -> Cleanup.register(MilterStep.startRspamd(dir, nsdPort));
      default ->
          throw new IllegalArgumentException(
              "--filters: unknown filter "
                  + filter
                  + " (authmill, authmill-warmed, opendkim, rspamd)");
    };
  }

  static void log(String line) {
    System.err.println("bench: " + line);
  }
}
