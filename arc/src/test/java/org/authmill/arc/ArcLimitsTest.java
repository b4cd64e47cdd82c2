package org.authmill.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.authmill.arc.ArcTesting.apply;
import static org.authmill.arc.ArcTesting.bytes;
import static org.authmill.arc.ArcTesting.seal;
import static org.authmill.arc.ArcTesting.sealer;
import static org.authmill.arc.ArcTesting.text;
import static org.authmill.arc.ArcTesting.verify;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile chains fail cleanly, with a reason, without exceptions and within the verifier's bounds:
 * more than 50 sets, duplicated instances, a missing seal, a huge ARC-Authentication-Results,
 * malformed fields; and a long body streams through in chunks.
 */
class ArcLimitsTest {
  /** A syntactically valid but unverifiable ARC set of instance i (its signatures are junk). */
  private static String junkSet(int i) {
    String b = "AAAA";
    return "ARC-Seal: i="
        + i
        + "; a=rsa-sha256; cv="
        + (i == 1 ? "none" : "pass")
        + "; d=list.example; s=rsa; b="
        + b
        + "\r\n"
        + "ARC-Message-Signature: i="
        + i
        + "; a=rsa-sha256; c=relaxed/relaxed; d=list.example; s=rsa; h=from; bh="
        + b
        + "; b="
        + b
        + "\r\n"
        + "ARC-Authentication-Results: i="
        + i
        + "; list.example; spf=pass\r\n";
  }

  @Test
  void verify_51Sets_failsBeforeAnyKeyLookup() throws Exception {
    StringBuilder message = new StringBuilder();
    for (int i = 51; i >= 1; i--) {
      message.append(junkSet(i));
    }
    message.append(ArcTesting.MESSAGE);
    ArcVerifier noDns =
        ArcVerifier.builder(
                new org.authmill.dns.DnsResolver() {
                  @Override
                  public <T>
                      java.util.concurrent.CompletionStage<org.authmill.dns.DnsAnswer<T>> lookup(
                          String name, org.authmill.dns.RecordType<T> type) {
                    throw new AssertionError("no lookup expected for " + name);
                  }
                })
            .build();
    ArcOutcome outcome =
        noDns
            .verify(new java.io.ByteArrayInputStream(bytes(message.toString())))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).contains("more than the 50 sets");
    assertThat(outcome.instances()).isEqualTo(51);
  }

  @Test
  void verify_thousandsOfArcFields_failsAndParsesAtMost153() throws Exception {
    StringBuilder message = new StringBuilder();
    for (int k = 0; k < 600; k++) {
      message.append(junkSet(1));
    }
    message.append(ArcTesting.MESSAGE);
    ArcOutcome outcome = verify(bytes(message.toString()));
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).contains("1800 ARC header fields");
  }

  @Test
  void seal_fiftySets_passesAndTheFiftyFirstIsRefused() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    ArcSealer sealer = sealer("list.example", true);
    for (int i = 1; i <= 50; i++) {
      ArcSealOutcome sealed = seal(sealer, message);
      assertThat(sealed.set()).as(sealed.reason()).isPresent();
      message = apply(sealed, message);
    }
    ArcOutcome outcome = verify(message);
    assertThat(outcome.cv()).as(outcome.reason()).isEqualTo(ArcCv.PASS);
    assertThat(outcome.instances()).isEqualTo(50);
    ArcSealOutcome refused = seal(sealer, message);
    assertThat(refused.set()).isEmpty();
    assertThat(refused.reason()).contains("at most 50");
  }

  @Test
  void verify_duplicateInstance_fails() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    byte[] sealed = apply(seal(sealer("list.example", false), message), message);
    String first = text(sealed);
    String seal = first.substring(0, first.indexOf("ARC-Message-Signature:"));
    ArcOutcome outcome = verify(bytes(seal + first));
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason())
        .isEqualTo(
            "ARC set i=1 has more than one ARC-Seal (RFC 8617 §5.2 step 2: exactly one of each per"
                + " set)");
  }

  @Test
  void verify_missingSeal_fails() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    String sealed = text(apply(seal(sealer("list.example", false), message), message));
    String withoutSeal = sealed.substring(sealed.indexOf("ARC-Message-Signature:"));
    ArcOutcome outcome = verify(bytes(withoutSeal));
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).startsWith("ARC set i=1 has no ARC-Seal");
  }

  @Test
  void verify_missingMessageSignatureOrResults_fails() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    String sealed = text(apply(seal(sealer("list.example", false), message), message));
    String[] lines = sealed.split("\r\n(?![ \t])", -1);
    for (String name : new String[] {"ARC-Message-Signature", "ARC-Authentication-Results"}) {
      StringBuilder without = new StringBuilder();
      for (int k = 0; k < lines.length; k++) {
        if (!lines[k].startsWith(name + ":")) {
          without.append(lines[k]).append(k < lines.length - 1 ? "\r\n" : "");
        }
      }
      ArcOutcome outcome = verify(bytes(without.toString()));
      assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
      assertThat(outcome.reason()).startsWith("ARC set i=1 has no " + name);
    }
  }

  @Test
  void verify_instanceGap_fails() throws Exception {
    ArcOutcome outcome = verify(bytes(junkSet(3) + junkSet(1) + ArcTesting.MESSAGE));
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).contains("i=2");
    assertThat(outcome.hops()).isEmpty();
  }

  @Test
  void seal_51SetsOrDuplicates_noSetOrACvFailSet() throws Exception {
    StringBuilder many = new StringBuilder();
    for (int i = 51; i >= 1; i--) {
      many.append(junkSet(i));
    }
    ArcSealer sealer = sealer("list.example", false);
    ArcSealOutcome tooMany = seal(sealer, bytes(many + ArcTesting.MESSAGE));
    assertThat(tooMany.set()).isEmpty();
    assertThat(tooMany.reason()).startsWith("not sealed").contains("at most 50");
    // a chain that fails its structure is sealed as failed (§5.1.2): cv=fail, and after that
    // seal no sealer adds another set
    byte[] duplicated = bytes(junkSet(1) + junkSet(1) + ArcTesting.MESSAGE);
    ArcSealOutcome failed = seal(sealer, duplicated);
    assertThat(failed.chain().reason()).contains("more than one");
    assertThat(failed.set()).isPresent();
    assertThat(failed.set().get().instance()).isEqualTo(2);
    assertThat(failed.set().get().seal()).contains("cv=fail");
    byte[] marked = apply(failed, duplicated);
    assertThat(verify(marked).cv()).isEqualTo(ArcCv.FAIL);
    ArcSealOutcome after = seal(sealer, marked);
    assertThat(after.set()).isEmpty();
    assertThat(after.reason()).startsWith("not sealed").contains("cv=fail");
  }

  @Test
  void verify_hugeAarWithinLimits_failsTheSeal() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    String sealed = text(apply(seal(sealer("list.example", false), message), message));
    char[] filler = new char[600_000];
    Arrays.fill(filler, 'x');
    String huge =
        sealed.replace(
            "ARC-Authentication-Results: i=1; list.example;",
            "ARC-Authentication-Results: i=1; list.example; x=" + new String(filler) + ";");
    ArcOutcome outcome = verify(bytes(huge));
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).startsWith("ARC-Seal i=1").contains("seal did not verify");
  }

  @Test
  void verify_aarLargerThanTheHeaderLimit_failsWithoutKeepingIt() throws Exception {
    char[] filler = new char[2 * 1024 * 1024];
    Arrays.fill(filler, 'x');
    String message =
        "ARC-Authentication-Results: i=1; list.example; x="
            + new String(filler)
            + "\r\n"
            + ArcTesting.MESSAGE;
    ArcOutcome outcome = verify(bytes(message));
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).contains("longer than").contains("not verified");
    // the streaming interface: the field is counted against the header limit, not kept
    ArcVerifyStream stream = ArcTesting.VERIFIER.newStream();
    stream.header(bytes("ARC-Authentication-Results: i=1; list.example; x=" + new String(filler)));
    stream.header(bytes("From: a@author.example"));
    ArcOutcome streamed = stream.finish().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(streamed.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(streamed.reason()).startsWith("the header section exceeds the limit");
  }

  @Test
  void verify_malformedFields_failWithTheFieldNamed() throws Exception {
    String[] broken = {
      "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=list.example; s=rsa; b=AAAA; b=AAAA",
      "ARC-Seal: i=x; a=rsa-sha256; cv=none; d=list.example; s=rsa; b=AAAA",
      "ARC-Seal: i=1; a=rsa-sha256; cv=maybe; d=list.example; s=rsa; b=AAAA",
      "ARC-Message-Signature: i=1; a=rsa-sha256; d=list.example; s=rsa; h=ARC-Seal; bh=AAAA; b=AAAA",
      "ARC-Authentication-Results: list.example; spf=pass",
    };
    String[] expected = {
      "ARC-Seal is malformed: duplicate tag b=",
      "ARC-Seal has an invalid instance i=x",
      "ARC-Seal has an invalid cv=maybe",
      "ARC-Message-Signature i=1 signs ARC-Seal in h=",
      "ARC-Authentication-Results does not start with i=",
    };
    for (int k = 0; k < broken.length; k++) {
      ArcOutcome outcome = verify(bytes(broken[k] + "\r\n" + ArcTesting.MESSAGE));
      assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
      assertThat(outcome.reason()).startsWith(expected[k]);
    }
  }

  @Test
  void verifyStream_longBodyInChunks_isHashedNotKept() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    String sealed = text(apply(seal(sealer("list.example", false), message), message));
    ArcVerifyStream stream = ArcTesting.VERIFIER.newStream();
    String headers = sealed.substring(0, sealed.indexOf("\r\n\r\n"));
    for (String field : headers.split("\r\n(?![ \t])")) {
      stream.header(bytes(field));
    }
    stream.endOfHeaders();
    byte[] chunk = bytes("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n");
    byte[] block = new byte[64 * 1024];
    for (int i = 0; i + chunk.length <= block.length; i += chunk.length) {
      System.arraycopy(chunk, 0, block, i, chunk.length);
    }
    for (int i = 0; i < 1024; i++) { // 64 MiB
      stream.body(java.nio.ByteBuffer.wrap(block));
    }
    ArcOutcome outcome = stream.finish().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).contains("body hash did not verify");
  }
}
