package org.authmill.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.authmill.auth.results.MethodResult;
import org.authmill.dns.ZoneResolver;
import org.junit.jupiter.api.Test;

class AuthStreamTest {
  @Test
  void finish_moreSignatureFieldsThanTheLimit_headerStaysBounded() throws Exception {
    Authenticator authenticator =
        Authenticator.builder(ZoneResolver.fromText(""))
            .authservId("mx.test.local")
            .maxSignatures(3)
            .build();
    AuthStream a =
        authenticator.begin(InetAddress.getByName("192.0.2.1"), "helo.example", "a@example.com");
    // A thousand tiny DKIM-Signature fields must not become a thousand results in our header.
    for (int i = 0; i < 1000; i++) {
      a.header("DKIM-Signature", " v=1; d=example.com; s=s" + i + "; b=AAAA");
    }
    a.header("From", " a@example.com");
    a.endOfHeaders();
    AuthOutcome report = a.finish().toCompletableFuture().join();
    List<MethodResult> dkim =
        report.authenticationResults().results().stream()
            .filter(r -> r.method().equals("dkim"))
            .toList();
    assertThat(dkim).hasSize(4);
    assertThat(dkim.get(3).result()).isEqualTo("policy");
    assertThat(dkim.get(3).reason()).hasValueSatisfying(r -> assertThat(r).contains("997 more"));
    assertThat(report.authenticationResults().fold(78, "\n").length()).isLessThan(2000);
    assertThat(report.dkim()).hasSize(1000); // the report itself keeps them all
  }
}
