package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthorDomainExtractorTest {
  private final AuthorDomainExtractor extractor = AuthorDomainExtractor.withDefaults();

  private AuthorDomains of(String... values) {
    return extractor.fromFieldValues(List.of(values));
  }

  @Test
  void fromFieldValues_singleMailbox_single() {
    AuthorDomains a = of(" Alice <alice@Example.COM>");
    assertThat(a.domains()).containsExactly("example.com");
    assertThat(a.isSingle()).isTrue();
  }

  @Test
  void fromFieldValues_displayNameTricks_onlyAddrSpecCounts() {
    assertThat(of("\"ceo@victim.example\" <x@evil.example>").domains())
        .containsExactly("evil.example");
    assertThat(of("=?utf-8?q?ceo=40victim.example?= <x@evil.example>").domains())
        .containsExactly("evil.example");
    assertThat(of("\"ceo@victim.example\"@evil.example").domains()).containsExactly("evil.example");
    assertThat(of("ceo@victim.example (from evil.example)").domains())
        .containsExactly("victim.example");
    assertThat(of("a(c)@(d)victim(e).(f)example").domains()).containsExactly("victim.example");
    assertThat(of("<@route.evil.example:a@victim.example>").domains())
        .containsExactly("victim.example");
  }

  @Test
  void fromFieldValues_severalMailboxes_everyDomainWithProblem() {
    AuthorDomains a = of("a@one.example, B <b@two.example>, c@ONE.example");
    assertThat(a.domains()).containsExactly("one.example", "two.example");
    assertThat(a.wellFormed()).isTrue();
    assertThat(a.isSingle()).isFalse();
    assertThat(a.problems()).anySatisfy(p -> assertThat(p).contains("2 author domains"));
  }

  @Test
  void fromFieldValues_sameDomainTwice_single() {
    AuthorDomains a = of("a@one.example, b@one.example.");
    assertThat(a.domains()).containsExactly("one.example");
    assertThat(a.isSingle()).isTrue();
  }

  @Test
  void fromFieldValues_twoFields_bothReadAndFlagged() {
    AuthorDomains a = of("a@one.example", "a@one.example");
    assertThat(a.domains()).containsExactly("one.example");
    assertThat(a.fromFields()).isEqualTo(2);
    assertThat(a.wellFormed()).isFalse();
    assertThat(a.isSingle()).isFalse();
    assertThat(a.problems()).anySatisfy(p -> assertThat(p).contains("2 From: fields"));
  }

  @Test
  void fromFieldValues_none_problemNoDomain() {
    AuthorDomains a = of();
    assertThat(a.domains()).isEmpty();
    assertThat(a.problems()).singleElement().satisfies(p -> assertThat(p).contains("no From:"));
  }

  @Test
  void fromFieldValues_groups_flattened() {
    assertThat(of("Team: a@one.example, b@two.example;").domains())
        .containsExactly("one.example", "two.example");
    AuthorDomains empty = of("undisclosed:;");
    assertThat(empty.domains()).isEmpty();
    assertThat(empty.problems()).anySatisfy(p -> assertThat(p).contains("no mailbox"));
  }

  @Test
  void fromFieldValues_malformed_everyDomainAfterAtCounts() {
    AuthorDomains a = of("ceo@victim.example <x@evil.example>");
    assertThat(a.domains()).containsExactlyInAnyOrder("victim.example", "evil.example");
    assertThat(a.wellFormed()).isFalse();
    assertThat(a.problems()).anySatisfy(p -> assertThat(p).contains("not RFC 5322"));
    assertThat(of("a@victim.example@evil.example").domains())
        .contains("victim.example", "evil.example");
    assertThat(of("=?utf-8?q?x?= a@victim.example?= <b@evil.example>").domains())
        .contains("victim.example", "evil.example");
  }

  @Test
  void fromFieldValues_domainLiteralAndBadNames_notAuthorDomains() {
    assertThat(of("a@[192.0.2.1]").domains()).isEmpty();
    AuthorDomains mixed = of("a@[192.0.2.1], b@one.example");
    assertThat(mixed.domains()).containsExactly("one.example");
    assertThat(mixed.wellFormed()).isFalse();
    assertThat(of("a@x..example").domains()).isEmpty();
    assertThat(of("a@exa!mple.com").domains()).isEmpty();
    assertThat(of("a@" + "x".repeat(64) + ".example").domains()).isEmpty();
  }

  @Test
  void fromFieldValues_idn_becomesALabel() {
    assertThat(of("Jörg <joerg@Bücher.example>").domains())
        .containsExactly("xn--bcher-kva.example");
    assertThat(of("joerg@xn--bcher-kva.example").domains())
        .containsExactly("xn--bcher-kva.example");
  }

  @Test
  void fromFieldValues_folded_unfolded() {
    assertThat(of("\"Alice\r\n Example\"\r\n <alice@one.example>").domains())
        .containsExactly("one.example");
    // a bare line break is not folding: the value is malformed, and every domain in it counts
    assertThat(of("alice@one.example\r\nX-Injected: b@two.example").domains())
        .containsExactly("one.example", "two.example");
  }

  @Test
  void fromFieldValues_limits_incomplete() {
    AuthorDomainExtractor small =
        AuthorDomainExtractor.builder().maxFromFields(2).maxDomains(2).build();
    AuthorDomains fields =
        small.fromFieldValues(List.of("a@one.example", "a@two.example", "a@three.example"));
    assertThat(fields.complete()).isFalse();
    assertThat(fields.domains()).containsExactly("one.example", "two.example");
    AuthorDomains domains =
        small.fromFieldValues(List.of("a@one.example, b@two.example, c@three.example"));
    assertThat(domains.complete()).isFalse();
    AuthorDomains longField =
        AuthorDomainExtractor.builder()
            .maxFieldLength(20)
            .build()
            .fromFieldValues(List.of("a@one.example, b@" + "x".repeat(30) + ".example"));
    assertThat(longField.complete()).isFalse();
    assertThat(longField.domains()).isEmpty();
  }

  @Test
  void fromFieldValues_deeplyNestedComment_noCrash() {
    String nested = "(".repeat(5000) + ")".repeat(5000);
    AuthorDomains a = of("a@one.example " + nested);
    assertThat(a.domains()).containsExactly("one.example");
  }

  @Test
  void fromMessage_headerFieldsOnly_crlfAndLf() {
    String crlf =
        "Received: from x\r\nfrom: First <a@one.example>\r\nTo: b@two.example\r\n\r\nFrom: c@body.example\r\n";
    AuthorDomains a = extractor.fromMessage(crlf.getBytes(StandardCharsets.UTF_8));
    assertThat(a.domains()).containsExactly("one.example");
    assertThat(a.isSingle()).isTrue();
    String lf = "From: a@one.example\nSubject: x\nFROM : b@two.example\n\nbody\n";
    assertThat(extractor.fromMessage(lf.getBytes(StandardCharsets.UTF_8)).domains())
        .containsExactly("one.example", "two.example");
  }

  @Test
  void fromMessage_resentFromAndSender_ignored() {
    String msg = "Sender: s@sender.example\nResent-From: r@resent.example\nFrom: a@one.example\n\n";
    assertThat(extractor.fromMessage(msg.getBytes(StandardCharsets.UTF_8)).domains())
        .containsExactly("one.example");
  }

  @Test
  void fromMessage_utf8Header_readAsUtf8() {
    String msg = "From: Jörg <joerg@bücher.example>\n\n";
    assertThat(extractor.fromMessage(msg.getBytes(StandardCharsets.UTF_8)).domains())
        .containsExactly("xn--bcher-kva.example");
  }

  @Test
  void fromMessage_tooManyHeaderFields_incomplete() {
    StringBuilder msg = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      msg.append("X-Filler: ").append(i).append('\n');
    }
    msg.append("From: a@late.example\n\n");
    AuthorDomains a =
        AuthorDomainExtractor.builder()
            .maxHeaderFields(10)
            .build()
            .fromMessage(msg.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(a.complete()).isFalse();
    assertThat(a.problems()).anySatisfy(p -> assertThat(p).contains("limit"));
  }
}
