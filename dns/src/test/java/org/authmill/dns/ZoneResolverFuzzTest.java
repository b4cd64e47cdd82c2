package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

class ZoneResolverFuzzTest {
  /** Any zone text either parses or is rejected with IllegalArgumentException; lookups answer. */
  @FuzzTest(maxDuration = "30s")
  void fromText_anyInput_parsesOrRejectsCleanly(FuzzedDataProvider data) {
    String name = data.consumeString(300);
    String text = data.consumeRemainingAsString();
    ZoneResolver zone;
    try {
      zone = ZoneResolver.fromText(text);
    } catch (IllegalArgumentException rejected) {
      return;
    }
    for (RecordType<?> type :
        new RecordType<?>[] {RecordType.TXT, RecordType.A, RecordType.MX, RecordType.PTR}) {
      assertThat(zone.lookup(name, type).toCompletableFuture().join()).isNotNull();
    }
  }
}
