package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.authmill.dns.ZoneResolver;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * authmill's own DKIM edge cases (testdata/dkim/edge, written by its generate.py): each message is
 * signed with exactly the bytes a rule of RFC 6376, RFC 8301, RFC 8463 or RFC 8616 is about, and
 * expected.txt gives the outcome of every signature and a fragment of its reason. The keys come
 * from edge.zone through the dns module's master-file resolver; the clock is the signatures' t=.
 */
class EdgeVectorsTest {
  private static final Instant T0 = Instant.ofEpochSecond(1_700_000_000);
  private static final int CASES = 94;

  private record Case(String name, List<DkimResult> results, String fragment) {}

  private static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    for (String line : Files.readAllLines(TestPaths.testdata("dkim/edge/expected.txt"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\|", -1);
      List<DkimResult> results =
          Arrays.stream(parts[1].strip().split(","))
              .map(r -> DkimResult.valueOf(r.toUpperCase(java.util.Locale.ROOT)))
              .toList();
      cases.add(new Case(parts[0].strip(), results, parts[2].strip()));
    }
    return cases;
  }

  private static DkimVerifier verifier() throws IOException {
    return DkimVerifier.builder(ZoneResolver.fromFile(TestPaths.testdata("dkim/edge/edge.zone")))
        .clock(Clock.fixed(T0, ZoneOffset.UTC))
        .build();
  }

  @Test
  void cases_allListed() throws IOException {
    assertThat(cases()).hasSize(CASES);
  }

  @TestFactory
  List<DynamicTest> verify_edgeCases() throws IOException {
    DkimVerifier verifier = verifier();
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases()) {
      tests.add(
          dynamicTest(
              c.name(),
              () -> {
                Path file = TestPaths.testdata("dkim/edge/" + c.name() + ".eml");
                byte[] message = Files.readAllBytes(file);
                for (int chunk : new int[] {1, 3, 1 << 16}) {
                  List<DkimOutcome> outcomes = TestMessages.verify(verifier, message, chunk);
                  assertThat(outcomes)
                      .as("%s in chunks of %d: %s", c.name(), chunk, outcomes)
                      .extracting(DkimOutcome::result)
                      .containsExactlyElementsOf(c.results());
                  if (!c.fragment().isEmpty()) {
                    assertThat(outcomes)
                        .extracting(DkimOutcome::reason)
                        .anySatisfy(reason -> assertThat(reason).contains(c.fragment()));
                  }
                }
              }));
    }
    return tests;
  }
}
