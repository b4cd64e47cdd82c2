package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import org.authmill.dns.ZoneResolver;
import org.junit.jupiter.api.Test;

class TreeWalkTest {
  @Test
  void targets_rfc9989Example_eightQueries() {
    // RFC 9989 §4.10: the example of a.b.c.d.e.f.g.h.i.j.mail.example.com
    assertThat(TreeWalk.targets("a.b.c.d.e.f.g.h.i.j.mail.example.com", 8))
        .containsExactly(
            "a.b.c.d.e.f.g.h.i.j.mail.example.com",
            "g.h.i.j.mail.example.com",
            "h.i.j.mail.example.com",
            "i.j.mail.example.com",
            "j.mail.example.com",
            "mail.example.com",
            "example.com",
            "com");
  }

  @Test
  void targets_shortNames_everyParent() {
    assertThat(TreeWalk.targets("a.mail.example.com", 8))
        .containsExactly("a.mail.example.com", "mail.example.com", "example.com", "com");
    assertThat(TreeWalk.targets("com", 8)).containsExactly("com");
  }

  @Test
  void targets_eightAndNineLabels_neverMoreThanEight() {
    assertThat(TreeWalk.targets("1.2.3.4.5.6.7.8", 8))
        .hasSize(8)
        .element(1)
        .isEqualTo("2.3.4.5.6.7.8");
    assertThat(TreeWalk.targets("0.1.2.3.4.5.6.7.8", 8))
        .hasSize(8)
        .element(1)
        .isEqualTo("2.3.4.5.6.7.8");
  }

  @Test
  void targets_otherLimit_respected() {
    assertThat(TreeWalk.targets("a.b.c.d.e", 3)).containsExactly("a.b.c.d.e", "d.e", "e");
  }

  @Test
  void walk_stopsAtPsdFlag() {
    ZoneResolver zone =
        ZoneResolver.fromText(
            """
            _dmarc.b.example. TXT "v=DMARC1; p=none; psd=y"
            _dmarc.example.   TXT "v=DMARC1; p=reject"
            """);
    RecordFetcher fetcher = new RecordFetcher(zone);
    WalkResult walk = TreeWalk.walk(fetcher, "x.a.b.example", 8).toCompletableFuture().join();
    assertThat(walk.lookups())
        .extracting(PolicyLookup::domain)
        .containsExactly("x.a.b.example", "a.b.example", "b.example");
    assertThat(walk.organizationalDomain()).isEqualTo("a.b.example");
    assertThat(fetcher.queried()).doesNotContain("_dmarc.example/TXT");
  }

  @Test
  void walk_psdYAtStart_startIsOrganizationalDomain() {
    ZoneResolver zone =
        ZoneResolver.fromText("_dmarc.b.example. TXT \"v=DMARC1; p=none; psd=y\"\n");
    WalkResult walk =
        TreeWalk.walk(new RecordFetcher(zone), "b.example", 8).toCompletableFuture().join();
    assertThat(walk.organizationalDomain()).isEqualTo("b.example");
  }

  @Test
  void walk_noRecords_startIsOrganizationalDomain() {
    ZoneResolver zone = ZoneResolver.fromText("other.example. A 192.0.2.1\n");
    WalkResult walk =
        TreeWalk.walk(new RecordFetcher(zone), "a.b.example", 8).toCompletableFuture().join();
    assertThat(walk.found()).isEmpty();
    assertThat(walk.failure()).isEmpty();
    assertThat(walk.organizationalDomain()).isEqualTo("a.b.example");
  }

  @Test
  void walk_temporaryFailure_stopsAndIsReported() {
    ZoneResolver zone =
        ZoneResolver.fromText(
            """
            _dmarc.b.example. CNAME x.b.example.
            x.b.example.      CNAME _dmarc.b.example.
            _dmarc.example.   TXT "v=DMARC1; p=reject"
            """);
    WalkResult walk =
        TreeWalk.walk(new RecordFetcher(zone), "a.b.example", 8).toCompletableFuture().join();
    assertThat(walk.failure()).map(PolicyLookup::domain).contains("b.example");
    assertThat(walk.lookups()).hasSize(2);
  }
}
