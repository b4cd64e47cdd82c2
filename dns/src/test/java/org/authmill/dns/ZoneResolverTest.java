package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ZoneResolverTest {
  private static ZoneResolver zone;

  @BeforeAll
  static void load() throws Exception {
    zone = ZoneResolver.fromFile(TestPaths.testdata("dns/fixtures.zone"));
  }

  private static <T> DnsAnswer<T> ask(String name, RecordType<T> type) {
    return zone.lookup(name, type).toCompletableFuture().join();
  }

  @Test
  void txt_severalStrings_joinedWithoutSeparator() {
    assertThat(ask("multi.example.org", RecordType.TXT).values()).containsExactly("onetwothree");
  }

  @Test
  void txt_severalRecords_eachJoined() {
    assertThat(ask("example.org", RecordType.TXT).values())
        .containsExactlyInAnyOrder(
            "v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all", "second record");
  }

  @Test
  void txt_utf8Bytes_decoded() {
    assertThat(ask("utf8.example.org", RecordType.TXT).values()).containsExactly("café");
  }

  @Test
  void txt_emptyString_isOneEmptyRecord() {
    assertThat(ask("empty.example.org", RecordType.TXT).values()).containsExactly("");
  }

  @Test
  void lookup_nameWithOtherTypesOnly_isNoData() {
    assertThat(ask("host.example.org", RecordType.TXT)).isInstanceOf(DnsAnswer.NoData.class);
  }

  @Test
  void lookup_emptyNonTerminal_isNoData() {
    assertThat(ask("b.c.zone.test", RecordType.TXT)).isInstanceOf(DnsAnswer.NoData.class);
    assertThat(ask("c.zone.test", RecordType.A)).isInstanceOf(DnsAnswer.NoData.class);
  }

  @Test
  void lookup_unknownName_isNxDomain() {
    assertThat(ask("nothing.example.org", RecordType.TXT)).isInstanceOf(DnsAnswer.NxDomain.class);
    assertThat(ask("x.a.b.c.zone.test", RecordType.TXT)).isInstanceOf(DnsAnswer.NxDomain.class);
  }

  @Test
  void lookup_negativeTtl_comesFromEnclosingSoaMinimum() {
    assertThat(ask("nothing.zone.test", RecordType.TXT))
        .isEqualTo(new DnsAnswer.NxDomain<String>(Duration.ofSeconds(60)));
    assertThat(ask("nothing.example.org", RecordType.TXT))
        .isEqualTo(new DnsAnswer.NxDomain<String>(ZoneResolver.DEFAULT_NEGATIVE_TTL));
  }

  @Test
  void lookup_caseAndTrailingDot_ignored() {
    assertThat(ask("MULTI.Example.ORG.", RecordType.TXT).values()).containsExactly("onetwothree");
  }

  @Test
  void lookup_cnameChain_followedToTarget() throws Exception {
    DnsAnswer<InetAddress> answer = ask("cname.example.org", RecordType.A);
    assertThat(answer.values()).containsExactly(InetAddress.getByName("198.51.100.7"));
  }

  @Test
  void lookup_cnameToNameWithoutType_isNoData() {
    assertThat(ask("cname.example.org", RecordType.MX)).isInstanceOf(DnsAnswer.NoData.class);
  }

  @Test
  void lookup_danglingCname_isNxDomain() {
    assertThat(ask("dangling.example.org", RecordType.A)).isInstanceOf(DnsAnswer.NxDomain.class);
  }

  @Test
  void lookup_cnameLoop_isTempFailure() {
    DnsAnswer<String> answer = ask("loop1.example.org", RecordType.TXT);
    assertThat(answer).isInstanceOf(DnsAnswer.TempFailure.class);
    assertThat(((DnsAnswer.TempFailure<String>) answer).reason()).contains("loop1.example.org");
  }

  @Test
  void lookup_wildcard_synthesizesRecordsForAnyNameBelow() {
    assertThat(ask("anything.wild.zone.test", RecordType.TXT).values()).containsExactly("wildcard");
    assertThat(ask("a.b.wild.zone.test", RecordType.TXT).values()).containsExactly("wildcard");
    assertThat(ask("x.wild.zone.test", RecordType.MX)).isInstanceOf(DnsAnswer.NoData.class);
    assertThat(ask("wild.zone.test", RecordType.TXT)).isInstanceOf(DnsAnswer.NoData.class);
  }

  @Test
  void mx_preferenceAndExchange() {
    assertThat(ask("mail.zone.test", RecordType.MX).values())
        .containsExactlyInAnyOrder(
            new MxRecord(10, "mx1.zone.test"), new MxRecord(20, "mx2.zone.test"));
  }

  @Test
  void ptr_ipv4AndIpv6_reverseNamesBuilt() throws Exception {
    assertThat(
            zone.ptr(InetAddress.getByName("198.51.100.7")).toCompletableFuture().join().values())
        .containsExactlyInAnyOrder("host.example.org", "other.example.org");
    assertThat(
            zone.ptr(InetAddress.getByName("2001:db8:0:1::7"))
                .toCompletableFuture()
                .join()
                .values())
        .containsExactly("host.example.org");
  }

  @Test
  void records_ttlIsSmallestOfRrset() {
    DnsAnswer<InetAddress> answer = ask("www.zone.test", RecordType.A);
    assertThat(((DnsAnswer.Records<InetAddress>) answer).ttl()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void lookup_impossibleName_isNxDomain() {
    String longLabel = "a".repeat(64) + ".example.org";
    assertThat(ask(longLabel, RecordType.TXT)).isInstanceOf(DnsAnswer.NxDomain.class);
    assertThat(ask("a..example.org", RecordType.TXT)).isInstanceOf(DnsAnswer.NxDomain.class);
    assertThat(ask("", RecordType.TXT)).isInstanceOf(DnsAnswer.NxDomain.class);
  }

  @Test
  void fromText_badLine_errorNamesTheProblem() {
    assertThatThrownBy(
            () -> ZoneResolver.fromText("ok.test. IN TXT \"x\"\nbad.test. IN A not-an-ip\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
  }

  @Test
  void fromText_relativeNames_areRelativeToRoot() {
    ZoneResolver z = ZoneResolver.fromText("host.test IN A 192.0.2.1\n");
    assertThat(z.a("host.test").toCompletableFuture().join().values()).hasSize(1);
    assertThat(List.of(z.txt("host.test").toCompletableFuture().join()))
        .allMatch(a -> a instanceof DnsAnswer.NoData);
  }
}
