package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.authmill.dns.ZoneResolver;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class DmarcEvaluatorTest {
  private static final ZoneResolver ZONE = ZoneResolver.fromText(DmarcCases.zoneText());

  @TestFactory
  Stream<DynamicTest> evaluate_projectCases_matchExpectations() {
    return DmarcCases.tests(c -> DmarcCases.run(c, ZONE));
  }

  @Test
  void evaluate_projectCases_atLeastForty() {
    assertThat(DmarcCases.load()).hasSizeGreaterThanOrEqualTo(40);
  }
}
