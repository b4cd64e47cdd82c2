package org.authmill.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.authmill.arc.ArcTesting.apply;
import static org.authmill.arc.ArcTesting.bytes;
import static org.authmill.arc.ArcTesting.seal;
import static org.authmill.arc.ArcTesting.sealer;
import static org.authmill.arc.ArcTesting.text;
import static org.authmill.arc.ArcTesting.verify;
import static org.authmill.arc.ArcTesting.withResults;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArcSealerTest {
  @Test
  void seal_noChain_addsInstanceOneWithCvNoneThatVerifies() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    ArcSealOutcome sealed = seal(sealer("list.example", false), message);
    assertThat(sealed.chain().cv()).isEqualTo(ArcCv.NONE);
    ArcSet set = sealed.set().orElseThrow();
    assertThat(set.instance()).isEqualTo(1);
    assertThat(set.seal()).startsWith("ARC-Seal: a=rsa-sha256;").contains("cv=none");
    assertThat(set.authenticationResults())
        .startsWith("ARC-Authentication-Results: i=1; list.example; arc=none;\r\n\tspf=pass")
        .contains("dmarc=pass header.from=author.example");
    ArcOutcome outcome = verify(apply(sealed, message));
    assertThat(outcome.cv()).as(outcome.reason()).isEqualTo(ArcCv.PASS);
    assertThat(outcome.instances()).isEqualTo(1);
    assertThat(outcome.oldestPass()).isEqualTo(1);
    assertThat(outcome.sealerDomains()).containsExactly("list.example");
    ArcHop hop = outcome.hops().get(0);
    assertThat(hop.selector()).isEqualTo("rsa");
    assertThat(hop.authservId()).contains("list.example");
    assertThat(hop.results().orElseThrow().results())
        .extracting(r -> r.method() + "=" + r.result())
        .containsExactly("arc=none", "spf=pass", "dkim=pass", "dmarc=pass");
  }

  @Test
  void fieldsOnTop_areCoveredByTheMessageSignature() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    String dkim = "DKIM-Signature: v=1; a=rsa-sha256; d=author.example; s=s;\r\n\tb=AAAA";
    ArcSealStream stream = sealer("list.example", false).newStream();
    org.authmill.dkim.MessageSink.feed(
        new java.io.ByteArrayInputStream(message), stream.sink(), 1 << 20);
    stream.fieldsOnTop(List.of(bytes(dkim)));
    ArcSealOutcome sealed = stream.finish().toCompletableFuture().get();
    assertThat(sealed.set().orElseThrow().messageSignature()).contains("dkim-signature");
    byte[] sent = apply(sealed, ArcTesting.concat(bytes(dkim + "\r\n"), message));
    ArcOutcome outcome = verify(sent);
    assertThat(outcome.cv()).as(outcome.reason()).isEqualTo(ArcCv.PASS);
    // the new field is signed: without it, or changed, the ARC-Message-Signature fails
    assertThat(verify(apply(sealed, message)).cv()).isEqualTo(ArcCv.FAIL);
    assertThat(verify(bytes(text(sent).replace("s=s;", "s=t;"))).cv()).isEqualTo(ArcCv.FAIL);
  }

  @Test
  void seal_ed25519_verifies() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    ArcSealOutcome sealed = seal(sealer("list.example", true), message);
    assertThat(sealed.set().orElseThrow().seal()).contains("a=ed25519-sha256");
    assertThat(verify(apply(sealed, message)).cv()).isEqualTo(ArcCv.PASS);
  }

  @Test
  void seal_threeHops_passWithEverySealer() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    List<String> domains = List.of("list.example", "forward.example", "final.example");
    for (int i = 0; i < domains.size(); i++) {
      ArcSealOutcome sealed = seal(sealer(domains.get(i), i % 2 == 1), message);
      assertThat(sealed.set()).as(sealed.reason()).isPresent();
      assertThat(sealed.set().get().seal()).contains("cv=" + (i == 0 ? "none" : "pass"));
      message = apply(sealed, message);
    }
    ArcOutcome outcome = verify(message);
    assertThat(outcome.cv()).as(outcome.reason()).isEqualTo(ArcCv.PASS);
    assertThat(outcome.instances()).isEqualTo(3);
    assertThat(outcome.oldestPass()).isEqualTo(1);
    assertThat(outcome.sealerDomains()).containsExactly(domains.toArray(String[]::new));
  }

  @Test
  void verify_bodyChangedAfterSealing_fails() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    byte[] sealed = apply(seal(sealer("list.example", false), message), message);
    ArcOutcome outcome = verify(ArcTesting.concat(sealed, bytes("a footer\r\n")));
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).contains("ARC-Message-Signature i=1").contains("body hash");
  }

  @Test
  void verify_headerChangedAfterSealing_fails() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    byte[] sealed = apply(seal(sealer("list.example", false), message), message);
    ArcOutcome outcome =
        verify(bytes(text(sealed).replace("Subject: ARC test", "Subject: [list]")));
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).contains("ARC-Message-Signature i=1").contains("signature");
  }

  @Test
  void verify_aarChangedAfterSealing_failsTheSeal() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    byte[] sealed = apply(seal(sealer("list.example", false), message), message);
    ArcOutcome outcome = verify(bytes(text(sealed).replaceFirst("spf=pass", "spf=fail")));
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).startsWith("ARC-Seal i=1");
  }

  @Test
  void verify_bodyChangedBetweenHops_passesWithOldestPassOfTheLaterHop() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    message = apply(seal(sealer("list.example", false), message), message);
    // a list verifies on arrival, adds its footer, then seals with the status it found
    ArcCv inbound = verify(message).cv();
    message = ArcTesting.concat(message, bytes("-- \r\nlist footer\r\n"));
    ArcSealStream stream = sealer("forward.example", false).newStream();
    stream.chainValidatedOnArrival(inbound);
    org.authmill.dkim.MessageSink.feed(
        new java.io.ByteArrayInputStream(message), stream.sink(), 1 << 20);
    message = apply(stream.finish().toCompletableFuture().get(), message);
    ArcOutcome outcome = verify(message);
    assertThat(outcome.cv()).as(outcome.reason()).isEqualTo(ArcCv.PASS);
    assertThat(outcome.oldestPass()).isEqualTo(2);
    assertThat(outcome.reason()).contains("ARC-Message-Signature i=1 no longer verifies");
  }

  @Test
  void seal_failedChain_addsCvFailSetCoveringOnlyItself() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    message = apply(seal(sealer("list.example", false), message), message);
    message = ArcTesting.concat(message, bytes("changed\r\n")); // AMS i=1 no longer verifies
    ArcSealOutcome second = seal(sealer("forward.example", false), message);
    assertThat(second.chain().cv()).isEqualTo(ArcCv.FAIL);
    ArcSet set = second.set().orElseThrow();
    assertThat(set.instance()).isEqualTo(2);
    assertThat(set.seal()).contains("cv=fail");
    assertThat(second.reason()).contains("covers only the new set");
    byte[] sealed = apply(second, message);
    ArcOutcome outcome = verify(sealed);
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).contains("records cv=fail");
    // and nobody seals after a cv=fail seal (RFC 8617 §5.1)
    ArcSealOutcome third = seal(sealer("final.example", false), sealed);
    assertThat(third.set()).isEmpty();
    assertThat(third.reason()).contains("already records cv=fail");
  }

  @Test
  void seal_withoutResultsOfItsAuthservId_recordsArcResultAndNone() throws Exception {
    byte[] message = withResults("other.example", "spf=pass", bytes(ArcTesting.MESSAGE));
    ArcSealOutcome sealed = seal(sealer("forward.example", false), message);
    assertThat(sealed.set().orElseThrow().authenticationResults())
        .isEqualTo("ARC-Authentication-Results: i=1; forward.example; arc=none");
  }

  @Test
  void seal_resultsComputedFromTheVerification_areRecorded() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    message = apply(seal(sealer("list.example", false), message), message);
    ArcSealStream stream = sealer("forward.example", false).newStream();
    stream.authenticationResults(
        chain -> "arc=" + chain.cv().tag() + " header.oldest-pass=" + chain.oldestPass());
    org.authmill.dkim.MessageSink.feed(
        new java.io.ByteArrayInputStream(message), stream.sink(), 1 << 20);
    ArcSealOutcome sealed = stream.finish().toCompletableFuture().get();
    assertThat(sealed.set().orElseThrow().authenticationResults())
        .isEqualTo(
            "ARC-Authentication-Results: i=2; forward.example;\r\n\tarc=pass header.oldest-pass=1");
    assertThat(verify(apply(sealed, message)).cv()).isEqualTo(ArcCv.PASS);
  }

  @Test
  void builder_arcSealInHeaders_isRefused() {
    assertThatThrownBy(() -> ArcSealer.builder().headers(List.of("From", "ARC-Seal")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ARC-Seal");
  }
}
