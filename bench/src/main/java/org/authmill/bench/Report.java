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
 * Reads JMH's JSON results ({@code -rf json}, one file per round of the whole suite) and the {@code
 * name=value} files of the other measurements, and prints a table and then, last, the {@code
 * name=value} lines of issue 7: the time and allocation of every benchmark (median over rounds of
 * each round's median iteration), the ratios computed within each round and then their median over
 * rounds, the other measurements, and the required keys, {@code n/a} where nothing measured them.
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
          "heap_growth_mb.50mib_message");

  /**
   * The ratios: name, numerator benchmark, denominator benchmark (times in µs/op). Those named
   * "vs_jdkim" are throughput ratios, jDKIM's time over authmill's.
   */
  static final List<String[]> RATIOS =
      List.of(
          new String[] {"ratio.verify_vs_jdkim", "jdkim.verify.4k", "dkim.verify.rsa.4k"},
          new String[] {"ratio.verify_vs_floor", "dkim.verify.rsa.4k", "floor.verify.rsa.4k"},
          new String[] {"ratio.sign_vs_floor", "dkim.sign.rsa.4k", "floor.sign.rsa.4k"},
          new String[] {"ratio.verify_vs_jdkim.100k", "jdkim.verify.100k", "dkim.verify.rsa.100k"},
          new String[] {
            "ratio.verify_uncached_key_vs_jdkim", "jdkim.verify.4k", "dkim.verifyUncachedKey.rsa.4k"
          },
          new String[] {"ratio.sign_vs_jdkim", "jdkim.sign.4k", "dkim.sign.rsa.4k"},
          new String[] {"ratio.sign_vs_jdkim.100k", "jdkim.sign.100k", "dkim.sign.rsa.100k"},
          new String[] {
            "ratio.verify_vs_floor.rsa_100k", "dkim.verify.rsa.100k", "floor.verify.rsa.100k"
          },
          new String[] {
            "ratio.verify_vs_floor.ed25519_4k", "dkim.verify.ed25519.4k", "floor.verify.ed25519.4k"
          },
          new String[] {
            "ratio.verify_vs_floor.ed25519_100k",
            "dkim.verify.ed25519.100k",
            "floor.verify.ed25519.100k"
          },
          new String[] {
            "ratio.sign_vs_floor.rsa_100k", "dkim.sign.rsa.100k", "floor.sign.rsa.100k"
          },
          new String[] {
            "ratio.sign_vs_floor.ed25519_4k", "dkim.sign.ed25519.4k", "floor.sign.ed25519.4k"
          },
          new String[] {
            "ratio.sign_vs_floor.ed25519_100k", "dkim.sign.ed25519.100k", "floor.sign.ed25519.100k"
          });

  /** One benchmark's result in one round. */
  record Result(
      String name,
      double medianUs,
      double scoreUs,
      double errorUs,
      double cpuUs,
      double allocBytes) {
    /** The time a ratio uses: CPU time per operation when measured, else wall-clock time. */
    double basis(boolean cpu) {
      return cpu ? cpuUs : medianUs;
    }
  }

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
      results.add(read(round));
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
      double score = primary.path("score").asDouble(Double.NaN) * scale;
      double error = primary.path("scoreError").asDouble(Double.NaN) * scale;
      JsonNode secondary = run.path("secondaryMetrics");
      double cpu = secondaryMedian(secondary, "cpu.time.norm");
      double alloc = secondaryMedian(secondary, "gc.alloc.rate.norm");
      out.put(name, new Result(name, median, score, error, cpu, alloc));
    }
    return out;
  }

  /** The median of a secondary metric (JMH may prefix its name with "·"), NaN if absent. */
  private static double secondaryMedian(JsonNode secondary, String label) {
    for (Iterator<Map.Entry<String, JsonNode>> it = secondary.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> metric = it.next();
      if (metric.getKey().equals(label) || metric.getKey().equals("·" + label)) {
        JsonNode value = metric.getValue();
        return value.path("scorePercentiles").path("50.0").asDouble(value.path("score").asDouble());
      }
    }
    return Double.NaN;
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
        "%-36s %10s %10s %12s  %s%n",
        "benchmark",
        "wall µs/op",
        "cpu µs/op",
        "alloc B/op",
        "wall per round");
    for (Map.Entry<String, List<Result>> entry : byName.entrySet()) {
      List<Result> each = entry.getValue();
      StringBuilder perRound = new StringBuilder();
      for (Result r : each) {
        perRound.append(perRound.length() == 0 ? "" : " ").append(format(r.medianUs()));
      }
      out.printf(
          Locale.ROOT,
          "%-36s %10s %10s %12s  %s%n",
          entry.getKey(),
          format(median(each, Result::medianUs)),
          format(median(each, Result::cpuUs)),
          format(median(each, Result::allocBytes)),
          perRound);
    }

    Map<String, String> lines = new LinkedHashMap<>();
    for (Map.Entry<String, List<Result>> entry : byName.entrySet()) {
      List<Result> each = entry.getValue();
      lines.put("time_us." + entry.getKey(), format(median(each, Result::medianUs)));
      putIfNumber(lines, "cpu_us." + entry.getKey(), median(each, Result::cpuUs));
      putIfNumber(lines, "alloc_bytes." + entry.getKey(), median(each, Result::allocBytes));
    }
    boolean cpu =
        !rounds.isEmpty()
            && rounds.stream()
                .allMatch(r -> r.values().stream().allMatch(x -> !Double.isNaN(x.cpuUs())));
    lines.put("ratio.basis", cpu ? "cpu_time" : "wall_time");
    for (String[] ratio : RATIOS) {
      putIfNumber(lines, ratio[0], ratio(rounds, ratio, cpu));
      if (cpu) {
        putIfNumber(lines, "wall." + ratio[0], ratio(rounds, ratio, false));
      }
    }
    lines.putAll(extra);
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

  /** The ratio within each round, then the median over the rounds; NaN if never measured. */
  private static double ratio(List<Map<String, Result>> rounds, String[] ratio, boolean cpu) {
    List<Double> perRound = new ArrayList<>();
    for (Map<String, Result> round : rounds) {
      Result numerator = round.get(ratio[1]);
      Result denominator = round.get(ratio[2]);
      if (numerator != null && denominator != null) {
        perRound.add(numerator.basis(cpu) / denominator.basis(cpu));
      }
    }
    return median(perRound);
  }

  private static void putIfNumber(Map<String, String> lines, String key, double value) {
    if (!Double.isNaN(value)) {
      lines.put(
          key,
          key.startsWith("ratio.") || key.startsWith("wall.ratio.")
              ? String.format(Locale.ROOT, "%.3f", value)
              : format(value));
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
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.1f" : "%.3f", value);
  }
}
