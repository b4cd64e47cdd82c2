package org.authmill.arc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The ValiMail ARC signing suite ({@code arc/arc-draft-sign-tests.yml}, 17 tests), read in place
 * from {@code -Dauthmill.testsuites}: each message is sealed at the test's {@code t} with its
 * {@code sig-headers} and {@code srv-id}, and the new ARC-Seal, ARC-Message-Signature and
 * ARC-Authentication-Results are compared as the upstream harness does (all white space dropped,
 * split at semicolons, compared as sets), signatures included. An empty expectation means that no
 * set may be added ({@code no_additional_sig}: the newest seal already records {@code cv=fail}, RFC
 * 8617 §5.1). No case is disputed; all 17 pass.
 */
class ArcSigningSuiteTest {
  private static final int EXPECTED = 17;
  private static final AtomicInteger run = new AtomicInteger();
  private static final AtomicInteger passed = new AtomicInteger();

  @TestFactory
  List<DynamicTest> signing_suite() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (ArcSuite.Scenario scenario :
        ArcSuite.read(TestPaths.suite("arc/arc-draft-sign-tests.yml"))) {
      ArcVerifier verifier = ArcVerifier.builder(ArcSuite.resolver(scenario.txt())).build();
      DkimPrivateKey key = DkimPrivateKey.parse(scenario.root().path("privatekey").asText());
      String domain = scenario.root().path("domain").asText();
      String selector = scenario.root().path("sel").asText();
      for (Map.Entry<String, JsonNode> e : scenario.tests().entrySet()) {
        JsonNode test = e.getValue();
        tests.add(
            DynamicTest.dynamicTest(
                e.getKey(),
                () -> {
                  ArcSealer sealer =
                      ArcSealer.builder()
                          .domain(domain)
                          .selector(selector)
                          .key(key)
                          .authservId(test.path("srv-id").asText())
                          .headers(Arrays.asList(test.path("sig-headers").asText().split(":")))
                          .clock(
                              Clock.fixed(
                                  Instant.ofEpochSecond(test.path("t").asLong()), ZoneOffset.UTC))
                          .verifier(verifier)
                          .build();
                  check(sealer, test);
                }));
      }
    }
    return tests;
  }

  private static void check(ArcSealer sealer, JsonNode test) throws Exception {
    byte[] message = ArcSuite.crlf(test.path("message").asText());
    ArcSealOutcome outcome =
        sealer
            .seal(new ByteArrayInputStream(message))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    run.incrementAndGet();
    String as = test.path("AS").asText("").strip();
    String ams = test.path("AMS").asText("").strip();
    String aar = test.path("AAR").asText("").strip();
    if (as.isEmpty()) {
      assertThat(outcome.set()).as(outcome.reason()).isEmpty();
      assertThat(ams).isEmpty();
      assertThat(aar).isEmpty();
    } else {
      assertThat(outcome.set()).as(outcome.reason()).isPresent();
      ArcSet set = outcome.set().get();
      assertThat(tags(ArcSet.valueOf(set.seal()))).as("ARC-Seal").isEqualTo(tags(as));
      assertThat(tags(ArcSet.valueOf(set.messageSignature())))
          .as("ARC-Message-Signature")
          .isEqualTo(tags(ams));
      assertThat(tags(ArcSet.valueOf(set.authenticationResults())))
          .as("ARC-Authentication-Results")
          .isEqualTo(tags(aar));
    }
    passed.incrementAndGet();
  }

  /** The upstream harness's comparison: white space dropped, split at ';', as a set. */
  private static Set<String> tags(String value) {
    return new TreeSet<>(Arrays.asList(value.replaceAll("\\s+", "").split(";")));
  }

  @AfterAll
  static void report() {
    System.out.println("ARC signing suite: " + passed + " of " + run + " pass");
  }

  @Test
  void signing_suite_hasAllCases() throws Exception {
    int count = 0;
    for (ArcSuite.Scenario scenario :
        ArcSuite.read(TestPaths.suite("arc/arc-draft-sign-tests.yml"))) {
      count += scenario.tests().size();
    }
    assertThat(count).isEqualTo(EXPECTED);
  }
}
