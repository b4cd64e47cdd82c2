package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.authmill.testkit.FakeDnsServer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

class ZoneNameserversTest {
  static final Name ZONE = Name.fromConstantString("example.com.");

  static FakeDnsServer.Reply answer(FakeDnsServer.Query q) {
    try {
      return switch (q.type()) {
        case Type.SOA ->
            new FakeDnsServer.Reply.Answer(
                List.of(
                    new SOARecord(
                        ZONE,
                        DClass.IN,
                        300,
                        Name.fromString("ns1.example.com."),
                        Name.fromString("hostmaster.example.com."),
                        1,
                        3600,
                        600,
                        86400,
                        300)));
        case Type.NS ->
            new FakeDnsServer.Reply.Answer(
                List.of(
                    new NSRecord(ZONE, DClass.IN, 300, Name.fromString("ns1.example.com.")),
                    new NSRecord(ZONE, DClass.IN, 300, Name.fromString("ns2.example.net."))));
        case Type.A ->
            new FakeDnsServer.Reply.Answer(
                List.of(
                    new ARecord(
                        q.name(),
                        DClass.IN,
                        300,
                        InetAddress.getByName(
                            q.nameText().startsWith("ns1") ? "192.0.2.1" : "198.51.100.2"))));
        default -> new FakeDnsServer.Reply.Answer(List.of());
      };
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void of_recordName_findsTheZoneAndEveryNameServerAtPort53() throws Exception {
    try (FakeDnsServer recursive = FakeDnsServer.start(ZoneNameserversTest::answer)) {
      ZoneNameservers.Found found =
          ZoneNameservers.using(List.of(recursive.address()), Duration.ofSeconds(1))
              .of("s1._domainkey.example.com")
              .toCompletableFuture()
              .join();
      assertThat(found.failure()).isEmpty();
      assertThat(found.zone()).isEqualTo("example.com");
      assertThat(found.servers())
          .containsExactly(
              new InetSocketAddress("192.0.2.1", 53), new InetSocketAddress("198.51.100.2", 53));
    }
  }

  @Test
  void of_silentResolver_failureSaysSo() throws Exception {
    try (FakeDnsServer silent = FakeDnsServer.silent()) {
      ZoneNameservers.Found found =
          ZoneNameservers.using(List.of(silent.address()), Duration.ofMillis(300))
              .of("s1._domainkey.example.com")
              .toCompletableFuture()
              .join();
      assertThat(found.servers()).isEmpty();
      assertThat(found.failure()).hasValueSatisfying(f -> assertThat(f).contains("no answer"));
    }
  }
}
