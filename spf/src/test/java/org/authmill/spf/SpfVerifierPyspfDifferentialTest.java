package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.authmill.dns.DnsjavaResolver;
import org.authmill.testkit.NsdServer;
import org.authmill.testkit.Peers;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;

/**
 * Differential test against pyspf (Debian python3-spf): seeded random record sets served by a real
 * NSD, the same questions asked of authmill and of pyspf (in one Python process). Every
 * disagreement must be listed in testdata/spf/pyspf-differences.yml with the RFC 7208 section that
 * shows pyspf is wrong; a new disagreement, or a listed one that no longer happens, fails the test.
 */
class SpfVerifierPyspfDifferentialTest {
  static final long SEED = 7208;
  static final int CASES = 240;

  @Test
  void check_agreesWithPyspfExceptListedDifferences() throws Exception {
    Path python = Peers.python3Module("spf", "python3-spf");
    DifferentialWorld world = new DifferentialWorld(SEED, CASES);
    assertThat(world.cases).hasSizeGreaterThanOrEqualTo(200);
    Map<Integer, String> known = knownDifferences();
    try (NsdServer nsd = NsdServer.serving(world.zone.toString())) {
      DnsjavaResolver dns =
          DnsjavaResolver.builder()
              .nameserver(nsd.address())
              .timeout(Duration.ofSeconds(3))
              .build();
      SpfVerifier verifier =
          SpfVerifier.builder(dns)
              .receiver("mx.receiver.test")
              .defaultExplanation("DEFAULT")
              .build();
      List<CompletableFuture<SpfOutcome>> ours = new ArrayList<>();
      for (DifferentialWorld.Case c : world.cases) {
        ours.add(
            verifier
                .check(SuiteZone.address(c.ip()), c.mailFrom(), c.helo())
                .toCompletableFuture());
      }
      Map<Integer, JsonNode> theirs = pyspf(python, nsd, world.cases);
      Map<Integer, String> disagreements = new TreeMap<>();
      int compared = 0;
      for (int i = 0; i < world.cases.size(); i++) {
        DifferentialWorld.Case c = world.cases.get(i);
        SpfOutcome outcome = ours.get(i).get(60, TimeUnit.SECONDS);
        JsonNode py = theirs.get(c.id());
        assertThat(py).as("pyspf answered case %s", c.id()).isNotNull();
        compared++;
        String pyResult = py.get("result").asText();
        String difference = null;
        if (!pyResult.equals(outcome.result().keyword())) {
          difference = "pyspf " + pyResult + ", authmill " + outcome.result().keyword();
        } else if (outcome.result() == SpfResult.FAIL
            && !py.get("explanation").asText().equals(outcome.explanation().orElse(""))) {
          difference =
              "explanation: pyspf '"
                  + py.get("explanation").asText()
                  + "', authmill '"
                  + outcome.explanation().orElse("")
                  + "'";
        }
        if (difference != null) {
          disagreements.put(c.id(), difference);
          System.out.println(
              "case "
                  + c.id()
                  + ": "
                  + difference
                  + " | ip="
                  + c.ip()
                  + " from="
                  + c.mailFrom()
                  + " helo="
                  + c.helo()
                  + " record="
                  + c.record()
                  + " | authmill: "
                  + outcome.reason()
                  + (known.containsKey(c.id()) ? " | KNOWN: " + known.get(c.id()) : " | NEW"));
        }
      }
      System.out.println(
          "pyspf differential: "
              + compared
              + " cases, "
              + (compared - disagreements.size())
              + " agree, "
              + disagreements.size()
              + " listed differences");
      assertThat(disagreements.keySet())
          .as("disagreements with pyspf must be exactly those in pyspf-differences.yml")
          .isEqualTo(known.keySet());
    }
  }

  /** Case id to the RFC 7208 reason pyspf is wrong, from testdata/spf/pyspf-differences.yml. */
  @SuppressWarnings("unchecked")
  static Map<Integer, String> knownDifferences() throws IOException {
    List<Map<String, Object>> entries =
        new ObjectMapper(new YAMLFactory())
            .readValue(TestPaths.testdata("spf/pyspf-differences.yml").toFile(), List.class);
    Map<Integer, String> known = new LinkedHashMap<>();
    if (entries != null) {
      for (Map<String, Object> e : entries) {
        assertThat(e).containsKeys("case", "pyspf", "authmill", "section", "why");
        known.put((Integer) e.get("case"), "RFC 7208 §" + e.get("section") + ": " + e.get("why"));
      }
    }
    return known;
  }

  private static Map<Integer, JsonNode> pyspf(
      Path python, NsdServer nsd, List<DifferentialWorld.Case> cases) throws Exception {
    Path script = Files.createTempFile("pyspf_batch", ".py");
    try (InputStream in =
        SpfVerifierPyspfDifferentialTest.class.getResourceAsStream("pyspf_batch.py")) {
      Files.write(script, in.readAllBytes());
    }
    ObjectMapper json = new ObjectMapper();
    Process process =
        new ProcessBuilder(
                python.toString(),
                script.toString(),
                "127.0.0.1",
                String.valueOf(nsd.address().getPort()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (Writer w =
        new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
      for (DifferentialWorld.Case c : cases) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("id", c.id());
        q.put("ip", c.ip());
        q.put("mailfrom", c.mailFrom());
        q.put("helo", c.helo());
        w.write(json.writeValueAsString(q));
        w.write('\n');
      }
    }
    Map<Integer, JsonNode> results = new LinkedHashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode node = json.readTree(line);
        results.put(node.get("id").asInt(), node);
      }
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("pyspf finished").isTrue();
    assertThat(process.exitValue()).as("pyspf exit status").isZero();
    Files.deleteIfExists(script);
    return results;
  }
}
