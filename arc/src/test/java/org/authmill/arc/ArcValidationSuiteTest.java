package org.authmill.arc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The ValiMail ARC validation suite ({@code arc/arc-draft-validation-tests.yml}, 171 tests), read
 * in place from {@code -Dauthmill.testsuites}; one dynamic test per case (171 of 171 pass, one of
 * them with the expectation overridden below), and a check that all 171 cases were read.
 *
 * <p>The suite was written against draft-ietf-dmarc-arc-protocol-18. Where runners disagree
 * (SOURCES.md), authmill decides by RFC 8617, and every case below keeps the suite's expectation:
 *
 * <ul>
 *   <li>{@code cv_fail_i1_as_cv_fail}, {@code cv_fail_i2_as1_fail}, {@code cv_fail_i2_as2_fail}
 *       have an empty {@code cv}: read as {@code fail} (RFC 8617 §5.2 step 4: a seal recording
 *       {@code cv=fail} fails the chain), as Mail::DKIM and mailauth do.
 *   <li>{@code ams_fields_a_sha1}, {@code as_fields_a_sha1} (rsa-sha1): {@code fail}, as the suite
 *       says. RFC 8617 §4.1 takes its algorithms from DKIM, and RFC 8301 §3.1 forbids verifiers to
 *       accept rsa-sha1; Mail::DKIM's copy turns these into Pass, authmill does not.
 *   <li>{@code ams_fields_c_na} (an AMS without {@code c=}): <b>{@code fail}</b>, where the suite
 *       says pass (the one case authmill decides against it, as Mail::DKIM's copy does). RFC 8617
 *       §4.1.2 defines the AMS as a DKIM-Signature except where it says otherwise, and says nothing
 *       of {@code c=}, so a missing {@code c=} means simple/simple (RFC 6376 §3.5). The test's
 *       signature was made with relaxed header canonicalization (the draft's default), so under
 *       simple it does not verify.
 *   <li>{@code as_fields_h_present} (an ARC-Seal with {@code h=}): {@code fail}, as the suite says;
 *       RFC 8617 §4.1.3 leaves no {@code h=} on a seal, whose scope §5.1.1 fixes.
 *   <li>{@code as_format_tags_sc}, {@code as_format_tags_key_case}, {@code as_format_tags_dup},
 *       {@code as_format_inv_tag_key} (malformed ARC-Seal tag lists): {@code fail}, as the suite
 *       says; the tag-list grammar is DKIM's (RFC 6376 §3.2: tag names are case-sensitive, a
 *       duplicate tag makes the list invalid), and a malformed seal fails the chain (§5.2 step 2).
 *   <li>{@code ams_fields_h_empty_added} (a header absent from an empty-looking signed list is
 *       added later): {@code fail}, as the suite says; the AMS signs the header list it names (RFC
 *       6376 §5.4), so a later added field breaks it.
 * </ul>
 */
class ArcValidationSuiteTest {
  private static final int EXPECTED = 171;

  /** The cases decided by RFC 8617 against the suite's expectation (see the class comment). */
  private static final Map<String, ArcCv> OVERRIDES = Map.of("ams_fields_c_na", ArcCv.FAIL);

  private static final AtomicInteger run = new AtomicInteger();
  private static final AtomicInteger passed = new AtomicInteger();
  private static final List<String> failures = new ArrayList<>();

  @TestFactory
  List<DynamicTest> validation_suite() throws Exception {
    Path file = TestPaths.suite("arc/arc-draft-validation-tests.yml");
    List<DynamicTest> tests = new ArrayList<>();
    for (ArcSuite.Scenario scenario : ArcSuite.read(file)) {
      ArcVerifier verifier = ArcVerifier.builder(ArcSuite.resolver(scenario.txt())).build();
      for (Map.Entry<String, JsonNode> e : scenario.tests().entrySet()) {
        String name = e.getKey();
        JsonNode test = e.getValue();
        tests.add(DynamicTest.dynamicTest(name, () -> check(verifier, name, test)));
      }
    }
    return tests;
  }

  private static void check(ArcVerifier verifier, String name, JsonNode test) throws Exception {
    String expectedText = test.path("cv").asText("").strip().toLowerCase(Locale.ROOT);
    ArcCv expected =
        OVERRIDES.getOrDefault(
            name, expectedText.isEmpty() ? ArcCv.FAIL : ArcCv.fromTag(expectedText).orElseThrow());
    byte[] message = ArcSuite.crlf(test.path("message").asText(""));
    ArcOutcome outcome =
        verifier
            .verify(new ByteArrayInputStream(message))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    run.incrementAndGet();
    if (outcome.cv() == expected) {
      passed.incrementAndGet();
    } else {
      synchronized (failures) {
        failures.add(name + ": expected " + expected + ", got " + outcome);
      }
    }
    assertThat(outcome.cv()).as(name + ": " + outcome.reason()).isEqualTo(expected);
  }

  @AfterAll
  static void report() {
    System.out.println("ARC validation suite: " + passed + " of " + run + " pass");
    failures.forEach(f -> System.out.println("  " + f));
  }

  @Test
  void validation_suite_hasAllCases() throws Exception {
    int count = 0;
    for (ArcSuite.Scenario scenario :
        ArcSuite.read(TestPaths.suite("arc/arc-draft-validation-tests.yml"))) {
      count += scenario.tests().size();
    }
    assertThat(count).isEqualTo(EXPECTED);
  }
}
