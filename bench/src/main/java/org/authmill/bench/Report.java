package org.authmill.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Reads JMH's JSON results ({@code -rf json}, one file per round of the suite) and the {@code
 * name=value} files of the other measurements, and prints a table and then, last, the {@code
 * name=value} lines of issue 7.
 *
 * <p>Times are per operation: {@code time_us.*} wall-clock and {@code cpu_us.*} CPU time of the
 * benchmark thread ({@link CpuTimeProfiler}), each the median over rounds of a round's median
 * iteration; {@code alloc_bytes.*} from JMH's GC profiler. Ratios ({@code ratio.*}) come from the
 * paired benchmarks ({@link PairedFloorBenchmark}, {@link PairedJdkimBenchmark}): the ratio of the
 * two sides' time within each iteration, median over all iterations of all rounds. Where a pair was
 * not run, the ratio comes from the separate benchmarks' CPU times. {@code ratio_cpu.*} and {@code
 * ratio_wall.*} always give the separate benchmarks' view. The keys issue 7 requires come last,
 * {@code n/a} where nothing measured them.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar org.authmill.bench.Report round1.json round2.json \
 *     --extra milter.properties
 * }</pre>
 */
public final class Report {
  /** The keys issue 7 requires, in its order; printed last, {@code n/a} when not measured. */
  static final List<String> REQUIRED =
      List.of(
          "ratio.verify_vs_jdkim",
          "ratio.verify_vs_floor",
          "ratio.sign_vs_floor",
          "ratio.milter_vs_opendkim",
          "ratio.postfix_authmill_vs_opendkim",
          "ratio.postfix_authmill_vs_none",
          "rss_mb.1000_connections",
          "heap_growth_mb.50mib_message",
          // issue 17
          "ratio.milter_vs_rspamd",
          "ratio.postfix_authmill_vs_rspamd",
          "ratio.cold_vs_warm_cpu",
          "ratio.sign_vs_openssl",
          "milter_waits_per_message");

  /** Required keys that are another key under a shorter name (the 4 KiB rsa-sha256 case). */
  static final Map<String, String> ALIASES =
      Map.of(
          "ratio.verify_vs_jdkim", "ratio.verify_vs_jdkim.4k",
          "ratio.verify_vs_floor", "ratio.verify_vs_floor.rsa_4k",
          "ratio.sign_vs_floor", "ratio.sign_vs_floor.rsa_4k");

  /**
   * One ratio: its key; the authmill benchmark; the other one; the paired benchmark; and whether it
   * is a throughput ratio (the other's time over authmill's, "vs_jdkim") or a time ratio
   * (authmill's over the floor's).
   */
  record Ratio(String key, String authmill, String other, String paired, boolean throughput) {}

  static final List<Ratio> RATIOS = ratios();

  private static List<Ratio> ratios() {
    List<Ratio> out = new ArrayList<>();
    for (String size : List.of("4k", "100k")) {
      for (String op : List.of("verify", "sign")) {
        out.add(
            new Ratio(
                "ratio." + op + "_vs_jdkim." + size,
                "dkim." + op + ".rsa." + size,
                "jdkim." + op + "." + size,
                "pairedjdkim." + op + "." + size,
                true));
        for (String algorithm : List.of("rsa", "ed25519")) {
          String suffix = "." + algorithm + "." + size;
          out.add(
              new Ratio(
                  "ratio." + op + "_vs_floor." + algorithm + "_" + size,
                  "dkim." + op + suffix,
                  "floor." + op + suffix,
                  "pairedfloor." + op + suffix,
                  false));
        }
      }
      out.add(
          new Ratio(
              "ratio.verify_uncached_key_vs_jdkim." + size,
              "dkim.verifyUncachedKey.rsa." + size,
              "jdkim.verify." + size,
              null,
              true));
    }
    return List.copyOf(out);
  }

  /**
   * One benchmark's result in one round: times in µs/op (NaN when not measured) and, for a paired
   * benchmark, authmill's time over the other side's in each iteration.
   */
  record Result(
      String name, double medianUs, double cpuUs, double allocBytes, List<Double> pairedRatios) {}

  private Report() {}

  public static void main(String[] args) throws IOException {
    List<Path> rounds = new ArrayList<>();
    List<Path> extras = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--extra")) {
        if (++i == args.length) {
          usage("--extra needs a file");
        }
        extras.add(Path.of(args[i]));
      } else if (args[i].startsWith("-")) {
        usage("unknown option " + args[i]);
      } else {
        rounds.add(Path.of(args[i]));
      }
    }
    List<Map<String, Result>> results = new ArrayList<>();
    for (Path round : rounds) {
      if (Files.exists(round)) {
        results.add(read(round));
      }
    }
    Map<String, String> extra = new LinkedHashMap<>();
    for (Path file : extras) {
      if (Files.exists(file)) {
        extra.putAll(readProperties(file));
      }
    }
    print(results, extra, System.out);
  }

  private static void usage(String problem) {
    System.err.println("Report: " + problem);
    System.err.println("usage: Report [--extra NAME=VALUE-FILE]... JMH-JSON...");
    System.exit(2);
  }

  /** The results of one JMH JSON file, by short name ({@link #shortName}). */
  static Map<String, Result> read(Path json) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    if (root == null || !root.isArray()) {
      throw new IOException(json + ": not a JMH JSON result array");
    }
    Map<String, Result> out = new LinkedHashMap<>();
    for (JsonNode run : root) {
      String name = shortName(run.path("benchmark").asText(), run.path("params"));
      JsonNode primary = run.path("primaryMetric");
      double scale = toMicros(primary.path("scoreUnit").asText());
      double median = primary.path("scorePercentiles").path("50.0").asDouble(Double.NaN) * scale;
      JsonNode secondary = run.path("secondaryMetrics");
      double cpu = median(secondary(secondary, "cpu.time.norm"), "scorePercentiles");
      double alloc = median(secondary(secondary, "gc.alloc.rate.norm"), "scorePercentiles");
      List<Double> authmill = raw(secondary(secondary, "authmillNanos"));
      List<Double> peer = raw(secondary(secondary, "peerNanos"));
      List<Double> paired = new ArrayList<>();
      for (int i = 0; i < Math.min(authmill.size(), peer.size()); i++) {
        if (peer.get(i) > 0) {
          paired.add(authmill.get(i) / peer.get(i));
        }
      }
      out.put(name, new Result(name, median, cpu, alloc, List.copyOf(paired)));
    }
    return out;
  }

  /** A secondary metric (JMH may prefix its name with "·"), or a missing node. */
  private static JsonNode secondary(JsonNode secondary, String label) {
    JsonNode plain = secondary.path(label);
    return plain.isMissingNode() ? secondary.path("·" + label) : plain;
  }

  private static double median(JsonNode metric, String field) {
    if (metric.isMissingNode()) {
      return Double.NaN;
    }
    return metric.path(field).path("50.0").asDouble(metric.path("score").asDouble(Double.NaN));
  }

  /** Every iteration's value of a metric, all forks. */
  private static List<Double> raw(JsonNode metric) {
    List<Double> out = new ArrayList<>();
    for (JsonNode fork : metric.path("rawData")) {
      for (JsonNode value : fork) {
        out.add(value.asDouble());
      }
    }
    return out;
  }

  /**
   * {@code org.authmill.bench.DkimBenchmark.verify} with params algorithm=rsa, bodySize=4096
   * becomes {@code dkim.verify.rsa.4k}: the class without "Benchmark", the method, and the param
   * values in the order of their names, sizes in KiB.
   */
  static String shortName(String benchmark, JsonNode params) {
    int dot = benchmark.lastIndexOf('.');
    String method = benchmark.substring(dot + 1);
    String type = benchmark.substring(benchmark.lastIndexOf('.', dot - 1) + 1, dot);
    StringBuilder name =
        new StringBuilder(type.replace("Benchmark", "").toLowerCase(Locale.ROOT))
            .append('.')
            .append(method);
    Map<String, String> sorted = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> param = it.next();
      sorted.put(param.getKey(), param.getValue().asText());
    }
    for (String value : sorted.values()) {
      name.append('.').append(value.matches("\\d+") ? kib(Integer.parseInt(value)) : value);
    }
    return name.toString();
  }

  private static String kib(int bytes) {
    return bytes % 1024 == 0 ? bytes / 1024 + "k" : Integer.toString(bytes);
  }

  private static double toMicros(String unit) {
    return switch (unit) {
      case "ns/op" -> 1e-3;
      case "us/op" -> 1;
      case "ms/op" -> 1e3;
      case "s/op" -> 1e6;
      default -> throw new IllegalArgumentException("unexpected JMH unit " + unit);
    };
  }

  static Map<String, String> readProperties(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return out;
  }

  static void print(List<Map<String, Result>> rounds, Map<String, String> extra, PrintStream out) {
    Map<String, List<Result>> byName = new LinkedHashMap<>();
    for (Map<String, Result> round : rounds) {
      for (Result result : round.values()) {
        byName.computeIfAbsent(result.name(), k -> new ArrayList<>()).add(result);
      }
    }
    out.printf(
        Locale.ROOT,
        "%-36s %10s %10s %12s %8s  %s%n",
        "benchmark",
        "wall µs/op",
        "cpu µs/op",
        "alloc B/op",
        "paired",
        "wall per round");
    for (Map.Entry<String, List<Result>> entry : byName.entrySet()) {
      List<Result> each = entry.getValue();
      StringBuilder perRound = new StringBuilder();
      for (Result r : each) {
        perRound.append(perRound.length() == 0 ? "" : " ").append(format(r.medianUs()));
      }
      out.printf(
          Locale.ROOT,
          "%-36s %10s %10s %12s %8s  %s%n",
          entry.getKey(),
          format(median(each, Result::medianUs)),
          format(median(each, Result::cpuUs)),
          format(median(each, Result::allocBytes)),
          formatRatio(pairedMedian(each, false)),
          perRound);
    }

    Map<String, String> lines = new LinkedHashMap<>();
    for (Map.Entry<String, List<Result>> entry : byName.entrySet()) {
      List<Result> each = entry.getValue();
      if (!entry.getKey().startsWith("paired")) {
        putIfNumber(lines, "time_us." + entry.getKey(), format(median(each, Result::medianUs)));
        putIfNumber(lines, "cpu_us." + entry.getKey(), format(median(each, Result::cpuUs)));
      }
      putIfNumber(lines, "alloc_bytes." + entry.getKey(), format(median(each, Result::allocBytes)));
    }
    for (Ratio ratio : RATIOS) {
      double cpu = separateRatio(rounds, ratio, Result::cpuUs);
      double wall = separateRatio(rounds, ratio, Result::medianUs);
      double paired = Double.NaN;
      if (ratio.paired() != null && byName.containsKey(ratio.paired())) {
        paired = pairedMedian(byName.get(ratio.paired()), ratio.throughput());
      }
      putIfNumber(lines, ratio.key(), formatRatio(Double.isNaN(paired) ? cpu : paired));
      putIfNumber(lines, ratio.key().replace("ratio.", "ratio_cpu."), formatRatio(cpu));
      putIfNumber(lines, ratio.key().replace("ratio.", "ratio_wall."), formatRatio(wall));
    }
    for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
      if (lines.containsKey(alias.getValue())) {
        lines.put(alias.getKey(), lines.get(alias.getValue()));
      }
    }
    lines.putAll(extra);
    // authmill's RSA-2048 signature per message (CPU time, 4 KiB) ÷ OpenSSL's private-key operation
    // (`openssl speed rsa2048`, which divides by CPU user time unless -elapsed), same run.
    // The paired measurement (SignVsOpenssl) when the run has it, else JMH's against openssl's.
    if (!extra.containsKey("ratio.sign_vs_openssl")) {
      double openssl = number(extra.get("openssl.rsa2048_sign_us"));
      double authmillSign = number(lines.get("cpu_us.dkim.sign.rsa.4k"));
      putIfNumber(lines, "ratio.sign_vs_openssl", formatRatio(authmillSign / openssl));
    }
    out.println();
    for (Map.Entry<String, String> line : lines.entrySet()) {
      if (!REQUIRED.contains(line.getKey())) {
        out.println(line.getKey() + "=" + line.getValue());
      }
    }
    for (String key : REQUIRED) {
      out.println(key + "=" + lines.getOrDefault(key, "n/a"));
    }
  }

  /** A number from a report line, NaN when absent or n/a. */
  static double number(String text) {
    if (text == null) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(text.replace(",", ""));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * A ratio from the separate benchmarks: within each round, then the median over rounds. For a
   * throughput ratio, the other's time over authmill's.
   */
  private static double separateRatio(
      List<Map<String, Result>> rounds, Ratio ratio, ToDoubleFunction<Result> metric) {
    List<Double> perRound = new ArrayList<>();
    for (Map<String, Result> round : rounds) {
      Result authmill = round.get(ratio.authmill());
      Result other = round.get(ratio.other());
      if (authmill != null && other != null) {
        double a = metric.applyAsDouble(authmill);
        double o = metric.applyAsDouble(other);
        perRound.add(ratio.throughput() ? o / a : a / o);
      }
    }
    return median(perRound);
  }

  /**
   * The median over all iterations of all rounds of authmill's time over the other side's (or,
   * {@code inverted}, the other's over authmill's).
   */
  private static double pairedMedian(List<Result> results, boolean inverted) {
    List<Double> all = new ArrayList<>();
    for (Result result : results) {
      for (double ratio : result.pairedRatios()) {
        all.add(inverted ? 1 / ratio : ratio);
      }
    }
    return median(all);
  }

  private static void putIfNumber(Map<String, String> lines, String key, String value) {
    if (!value.equals("n/a")) {
      lines.put(key, value);
    }
  }

  private static double median(List<Result> results, ToDoubleFunction<Result> metric) {
    return median(results.stream().map(metric::applyAsDouble).toList());
  }

  /** The median of the values that are numbers, NaN if none. */
  static double median(List<Double> values) {
    List<Double> sorted = values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.1f" : "%.3f", value);
  }

  private static String formatRatio(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
