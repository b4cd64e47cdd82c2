package org.authmill.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  /** One JMH JSON result as JMH 1.37 writes it, with only the fields the report reads. */
  private static String run(String benchmark, String params, double median, String secondary) {
    return """
        {"benchmark": "org.authmill.bench.%s", "mode": "avgt", "params": {%s},
         "primaryMetric": {"score": %s, "scoreError": 1.0, "scoreUnit": "us/op",
           "scorePercentiles": {"0.0": 1.0, "50.0": %s, "100.0": 999.0}, "rawData": [[%s]]},
         "secondaryMetrics": {%s}}
        """
        .formatted(benchmark, params, median, median, median, secondary);
  }

  private static String metric(String name, double median, String raw) {
    return """
        "%s": {"score": %s, "scoreUnit": "us/op", "scorePercentiles": {"50.0": %s},
          "rawData": [[%s]]}"""
        .formatted(name, median, median, raw);
  }

  private Path round(String... runs) throws Exception {
    Path file = Files.createTempFile(dir, "round", ".json");
    Files.writeString(file, "[" + String.join(",", runs) + "]");
    return file;
  }

  private static String rsa4k() {
    return "\"algorithm\": \"rsa\", \"bodySize\": \"4096\"";
  }

  private static Map<String, String> lines(String output) {
    return Arrays.stream(output.split("\n"))
        .filter(l -> l.matches("[a-z_.0-9A-Z]+=.*"))
        .collect(
            java.util.stream.Collectors.toMap(
                l -> l.substring(0, l.indexOf('=')),
                l -> l.substring(l.indexOf('=') + 1),
                (a, b) -> b,
                java.util.LinkedHashMap::new));
  }

  private static String print(List<Path> rounds, Map<String, String> extra) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Map<String, Report.Result>> read =
        rounds.stream()
            .map(
                p -> {
                  try {
                    return Report.read(p);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .toList();
    Report.print(read, extra, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void print_separateBenchmarks_ratiosFromCpuTimeMedianOverRounds() throws Exception {
    Path one =
        round(
            run("DkimBenchmark.verify", rsa4k(), 100, metric("cpu.time.norm", 60, "60")),
            run("FloorBenchmark.verify", rsa4k(), 80, metric("cpu.time.norm", 50, "50")),
            run(
                "JdkimBenchmark.verify",
                "\"bodySize\": \"4096\"",
                600,
                metric("cpu.time.norm", 480, "480")));
    Path two =
        round(
            run("DkimBenchmark.verify", rsa4k(), 100, metric("cpu.time.norm", 66, "66")),
            run("FloorBenchmark.verify", rsa4k(), 80, metric("cpu.time.norm", 50, "50")),
            run(
                "JdkimBenchmark.verify",
                "\"bodySize\": \"4096\"",
                600,
                metric("cpu.time.norm", 660, "660")));
    Map<String, String> lines = lines(print(List.of(one, two), Map.of()));
    assertThat(lines).containsEntry("cpu_us.dkim.verify.rsa.4k", "63.000");
    assertThat(lines).containsEntry("time_us.jdkim.verify.4k", "600.0");
    // per round 1.2 and 1.32: median 1.26; jDKIM: 8 and 10, median 9
    assertThat(lines).containsEntry("ratio.verify_vs_floor", "1.260");
    assertThat(lines).containsEntry("ratio_wall.verify_vs_floor.rsa_4k", "1.250");
    assertThat(lines).containsEntry("ratio.verify_vs_jdkim", "9.000");
    assertThat(lines).containsEntry("ratio.sign_vs_floor", "n/a");
  }

  @Test
  void print_pairedBenchmark_ratioPerIterationTakesPrecedence() throws Exception {
    String counters =
        metric("authmillNanos", 0, "120, 130, 500")
            + ","
            + metric("peerNanos", 0, "100, 100, 100")
            + ","
            + metric("cpu.time.norm", 1, "1");
    Path one =
        round(
            run("PairedFloorBenchmark.sign", rsa4k(), 3000, counters),
            run("DkimBenchmark.sign", rsa4k(), 1500, metric("cpu.time.norm", 1500, "1500")),
            run("FloorBenchmark.sign", rsa4k(), 1000, metric("cpu.time.norm", 1000, "1000")),
            run(
                "PairedJdkimBenchmark.verify",
                "\"bodySize\": \"4096\"",
                700,
                metric("authmillNanos", 0, "50, 50") + "," + metric("peerNanos", 0, "400, 600")));
    String output = print(List.of(one), Map.of());
    Map<String, String> lines = lines(output);
    assertThat(lines).containsEntry("ratio.sign_vs_floor", "1.300");
    assertThat(lines).containsEntry("ratio_cpu.sign_vs_floor.rsa_4k", "1.500");
    assertThat(lines).containsEntry("ratio.verify_vs_jdkim", "10.000");
    assertThat(lines).doesNotContainKey("time_us.pairedfloor.sign.rsa.4k");
  }

  @Test
  void print_requiredKeysLastInIssueOrder_nAWhenNotMeasured() throws Exception {
    String output =
        print(
            List.of(round(run("SpfBenchmark.check", "\"outcome\": \"pass\"", 20, ""))),
            Map.of("ratio.postfix_authmill_vs_none", "0.91", "milter.p99_ms", "4.2"));
    String[] all = output.strip().split("\n");
    List<String> last = Arrays.asList(all).subList(all.length - Report.REQUIRED.size(), all.length);
    assertThat(last)
        .containsExactly(
            "ratio.verify_vs_jdkim=n/a",
            "ratio.verify_vs_floor=n/a",
            "ratio.sign_vs_floor=n/a",
            "ratio.milter_vs_opendkim=n/a",
            "ratio.postfix_authmill_vs_opendkim=n/a",
            "ratio.postfix_authmill_vs_none=0.91",
            "rss_mb.1000_connections=n/a",
            "heap_growth_mb.50mib_message=n/a",
            "ratio.milter_vs_rspamd=n/a",
            "ratio.postfix_authmill_vs_rspamd=n/a",
            "ratio.cold_vs_warm_cpu=n/a",
            "ratio.sign_vs_openssl=n/a",
            "milter_waits_per_message=n/a");
    assertThat(lines(output))
        .containsEntry("time_us.spf.check.pass", "20.000")
        .containsEntry("milter.p99_ms", "4.2");
  }

  @Test
  void print_opensslSignTime_signVsOpensslFromAuthmillCpuTime() throws Exception {
    Path one = round(run("DkimBenchmark.sign", rsa4k(), 1500, metric("cpu.time.norm", 900, "900")));
    Map<String, String> lines =
        lines(print(List.of(one), Map.of("openssl.rsa2048_sign_us", "750.0")));
    assertThat(lines).containsEntry("ratio.sign_vs_openssl", "1.200");
    assertThat(lines(print(List.of(one), Map.of()))).containsEntry("ratio.sign_vs_openssl", "n/a");
  }

  @Test
  void print_pairedSignMeasurement_keptOverJmhAgainstOpenssl() throws Exception {
    Path one = round(run("DkimBenchmark.sign", rsa4k(), 1500, metric("cpu.time.norm", 900, "900")));
    Map<String, String> lines =
        lines(
            print(
                List.of(one),
                Map.of("openssl.rsa2048_sign_us", "750.0", "ratio.sign_vs_openssl", "1.037")));
    assertThat(lines).containsEntry("ratio.sign_vs_openssl", "1.037");
  }

  @Test
  void readProperties_skipsCommentsAndBlankLines() throws Exception {
    Path file = dir.resolve("milter.properties");
    Files.writeString(file, "# measured\n\nratio.milter_vs_opendkim = 2.4\nbroken line\n");
    assertThat(Report.readProperties(file))
        .containsExactly(Map.entry("ratio.milter_vs_opendkim", "2.4"));
  }
}
