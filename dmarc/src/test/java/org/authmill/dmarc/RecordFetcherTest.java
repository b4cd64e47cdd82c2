package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.RecordType;
import org.junit.jupiter.api.Test;

class RecordFetcherTest {
  /** Answers every TXT query with the given texts. */
  private static DnsResolver txt(String... texts) {
    return new DnsResolver() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
        return CompletableFuture.completedFuture(
            (DnsAnswer<T>) new DnsAnswer.Records<>(List.of(texts), Duration.ofMinutes(5)));
      }
    };
  }

  private static PolicyLookup lookup(DnsResolver resolver) {
    return new RecordFetcher(resolver).lookup("example.com").toCompletableFuture().join();
  }

  @Test
  void lookup_longRecordThatDnsCanCarry_parsed() {
    // a TXT record's data holds at most 65535 octets (RFC 1035 §3.2.1); RFC 9989 sets no limit
    String record =
        "v=DMARC1; p=reject; rua="
            + String.join(",", java.util.Collections.nCopies(400, "mailto:dmarc@example.com"));
    assertThat(record.length()).isGreaterThan(9000);
    PolicyLookup found = lookup(txt(record));
    assertThat(found.kind()).isEqualTo(PolicyLookup.Kind.FOUND);
    assertThat(found.record().orElseThrow().policy()).contains(DmarcPolicy.REJECT);
  }

  @Test
  void lookup_recordPastTheLimit_ignoredNotThrown() {
    String record = "v=DMARC1; p=reject; x=" + "a".repeat(DmarcRecord.MAX_RECORD_LENGTH);
    PolicyLookup ignored = lookup(txt(record));
    assertThat(ignored.kind()).isEqualTo(PolicyLookup.Kind.ABSENT);
    assertThat(ignored.detail()).contains("longer than");
  }

  @Test
  void lookup_nonDmarcTextsDiscarded_oneRecordLeft() {
    PolicyLookup found = lookup(txt("v=spf1 -all", "v=DMARC1; p=none", "v=DMARC10; p=reject"));
    assertThat(found.kind()).isEqualTo(PolicyLookup.Kind.FOUND);
    assertThat(found.record().orElseThrow().policy()).contains(DmarcPolicy.NONE);
  }

  @Test
  void lookup_twoRecords_allDiscarded() {
    assertThat(lookup(txt("v=DMARC1; p=none", "v=DMARC1; p=reject")).kind())
        .isEqualTo(PolicyLookup.Kind.MULTIPLE);
  }
}
