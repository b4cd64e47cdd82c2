package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.ZoneResolver;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * authmill's own SPF cases (testdata/spf/edge-cases.yml over edge-cases.zone): lookup
 * amplification, void lookups at and over the limit, MX and PTR name limits, loops, redirect and
 * exp, macros on IPv6, case and trailing dots, and the rest the public suites do not cover.
 */
class SpfVerifierEdgeCaseTest {
  static final String RECEIVER = "mx.receiver.test";
  static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

  /** The cases of edge-cases.yml. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> cases() throws IOException {
    return new ObjectMapper(new YAMLFactory())
        .readValue(TestPaths.testdata("spf/edge-cases.yml").toFile(), List.class);
  }

  static DnsResolver zone() throws IOException {
    return ZoneResolver.fromFile(TestPaths.testdata("spf/edge-cases.zone"));
  }

  static SpfOutcome check(DnsResolver dns, Map<String, Object> c) {
    SpfVerifier verifier =
        SpfVerifier.builder(dns).receiver(RECEIVER).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    String helo = String.valueOf(c.get("helo"));
    var ip = SuiteZone.address(String.valueOf(c.get("ip")));
    return ("helo".equals(c.get("identity"))
            ? verifier.checkHelo(ip, helo)
            : verifier.check(ip, String.valueOf(c.get("mailfrom")), helo))
        .toCompletableFuture()
        .join();
  }

  /** Asserts one case's expectations against an outcome and the queries it made. */
  static void verify(Map<String, Object> c, SpfOutcome outcome, Integer queries) {
    String name = String.valueOf(c.get("name"));
    assertThat(outcome.result().keyword())
        .as("%s: %s", name, outcome.reason())
        .isEqualTo(c.get("result"));
    if (c.containsKey("explanation")) {
      assertThat(outcome.explanation()).as(name).contains(String.valueOf(c.get("explanation")));
    }
    if (c.containsKey("lookups")) {
      assertThat(outcome.lookupsUsed()).as(name + " lookups").isEqualTo(c.get("lookups"));
    }
    if (c.containsKey("voids")) {
      assertThat(outcome.voidLookups()).as(name + " voids").isEqualTo(c.get("voids"));
    }
    if (queries != null && c.containsKey("queries")) {
      assertThat(queries).as(name + " DNS queries").isEqualTo(c.get("queries"));
    }
    assertThat(outcome.reason()).as(name + " reason").isNotBlank();
  }

  @TestFactory
  Stream<DynamicTest> edgeCases() throws IOException {
    DnsResolver zone = zone();
    return cases().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.get("name") + " (RFC 7208 §" + c.get("spec") + ")",
                    () -> {
                      CountingResolver counting = new CountingResolver(zone);
                      SpfOutcome outcome = check(counting, c);
                      verify(c, outcome, counting.count());
                    }));
  }
}
