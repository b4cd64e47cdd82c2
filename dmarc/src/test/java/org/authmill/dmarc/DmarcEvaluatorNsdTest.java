package org.authmill.dmarc;

import java.time.Duration;
import java.util.stream.Stream;
import org.authmill.dns.DnsjavaResolver;
import org.authmill.testkit.NsdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The project's DMARC cases again, with the zone served by a real NSD and asked over the network by
 * DnsjavaResolver: the answers ZoneResolver gives the other run hide nothing.
 */
class DmarcEvaluatorNsdTest {
  private static NsdServer nsd;
  private static DnsjavaResolver resolver;

  @BeforeAll
  static void start() {
    nsd = NsdServer.serving(DmarcCases.zoneText());
    resolver =
        DnsjavaResolver.builder()
            .nameserver(nsd.address())
            .timeout(Duration.ofSeconds(2))
            .retries(1)
            .build();
  }

  @AfterAll
  static void stop() {
    if (nsd != null) {
      nsd.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> evaluate_projectCasesOverNsd_matchExpectations() {
    return DmarcCases.tests(c -> DmarcCases.run(c, resolver));
  }
}
