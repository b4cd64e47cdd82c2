package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The dkimpy data files (../shared/testsuites/dkim/dkimpy), run as dkimpy's own tests use them (see
 * SOURCES.md): sign-then-verify under every canonicalization, the alternative key records, the
 * Ed25519 and Exim vectors, the Gmail message with degenerate folding, and signing refusals.
 */
class DkimpySuiteTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1700000000), ZoneOffset.UTC);
  private static final Canonicalization[] CANONS = Canonicalization.values();

  private static String text(String name) {
    try {
      return Files.readString(TestPaths.suite("dkim/dkimpy/" + name), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] message(String name) {
    return TestMessages.read(TestPaths.suite("dkim/dkimpy/" + name));
  }

  private static Map<String, List<String>> records() {
    try {
      JsonNode root = new ObjectMapper().readTree(TestPaths.suite("dkim/dkimpy/dns.json").toFile());
      Map<String, List<String>> out = new HashMap<>();
      root.get("records")
          .fields()
          .forEachRemaining(e -> out.put(e.getKey(), List.of(e.getValue().asText())));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DkimVerifier verifier(Map<String, List<String>> records) {
    return DkimVerifier.builder(TestMessages.resolver(records)).clock(CLOCK).build();
  }

  private static DkimVerifier verifierWithTestKey(String recordFile) {
    Map<String, List<String>> records = records();
    records.put("test._domainkey.example.com", List.of(text(recordFile).strip()));
    return verifier(records);
  }

  private static DkimSigner.Builder signer(String selector, String domain, String keyFile) {
    return DkimSigner.builder()
        .domain(domain)
        .selector(selector)
        .key(DkimPrivateKey.parse(text(keyFile)))
        .clock(CLOCK);
  }

  private static DkimOutcome only(List<DkimOutcome> outcomes) {
    assertThat(outcomes).hasSize(1);
    return outcomes.get(0);
  }

  @TestFactory
  List<DynamicTest> dkimpyScenarios() {
    List<DynamicTest> tests = new ArrayList<>();
    byte[] testMessage = message("test.message");
    for (Canonicalization h : CANONS) {
      for (Canonicalization b : CANONS) {
        String c = h.tag() + "/" + b.tag();
        DkimSigner rsa =
            signer("test", "example.com", "test.private").canonicalization(h, b).build();
        tests.add(
            dynamicTest(
                "test.message signed " + c + " verifies",
                () -> {
                  byte[] signed = TestMessages.sign(rsa, testMessage);
                  DkimOutcome outcome = only(TestMessages.verify(verifier(records()), signed));
                  assertThat(outcome.result()).as(outcome.reason()).isEqualTo(DkimResult.PASS);
                  assertThat(outcome.keyBits()).isEqualTo(1024);
                }));
        tests.add(
            dynamicTest(
                "test.message signed " + c + " with bytes appended to the body fails",
                () -> {
                  byte[] signed = TestMessages.sign(rsa, testMessage);
                  byte[] altered = java.util.Arrays.copyOf(signed, signed.length + 3);
                  System.arraycopy("foo".getBytes(), 0, altered, signed.length, 3);
                  DkimOutcome outcome = only(TestMessages.verify(verifier(records()), altered));
                  assertThat(outcome.result()).isEqualTo(DkimResult.FAIL);
                  assertThat(outcome.reason()).isEqualTo("body hash did not verify");
                }));
        tests.add(
            dynamicTest(
                "message.mbox with repeated Received, all headers signed " + c + ", verifies",
                () -> {
                  List<String> all = new ArrayList<>();
                  for (byte[] f : TestMessages.split(message("message.mbox")).fields()) {
                    String name = new String(f, StandardCharsets.ISO_8859_1);
                    all.add(name.substring(0, name.indexOf(':')));
                  }
                  DkimSigner signerAll =
                      signer("test", "example.com", "test.private")
                          .canonicalization(h, b)
                          .headers(all)
                          .build();
                  byte[] signed = TestMessages.sign(signerAll, message("message.mbox"));
                  // the mbox also carries kitterman.com's own signature, whose key is not served
                  List<DkimOutcome> outcomes = TestMessages.verify(verifier(records()), signed);
                  assertThat(outcomes).hasSize(2);
                  assertThat(outcomes.get(0).domain()).contains("example.com");
                  assertThat(outcomes.get(0).result())
                      .as(outcomes.get(0).reason())
                      .isEqualTo(DkimResult.PASS);
                  assertThat(outcomes.get(1).reason())
                      .startsWith("no key for 2007-00._domainkey.kitterman.com (");
                }));
      }
    }
    Map<String, DkimResult> variants =
        Map.of(
            "test2.txt", DkimResult.PASS,
            "badversion.txt", DkimResult.PERMERROR,
            "badk.txt", DkimResult.PERMERROR,
            "test_bad.txt", DkimResult.PERMERROR,
            "test_tlsrpt.txt", DkimResult.PERMERROR);
    variants.forEach(
        (file, expected) ->
            tests.add(
                dynamicTest(
                    "key record " + file + " gives " + expected.keyword(),
                    () -> {
                      byte[] signed =
                          TestMessages.sign(
                              signer("test", "example.com", "test.private").build(), testMessage);
                      DkimOutcome outcome =
                          only(TestMessages.verify(verifierWithTestKey(file), signed));
                      assertThat(outcome.result()).as(outcome.reason()).isEqualTo(expected);
                    })));
    tests.add(
        dynamicTest(
            "ed25519test.msg signed with ed25519test.key verifies",
            () -> {
              Map<String, List<String>> records = records();
              records.put("test._domainkey.example.net", List.of(text("ed25519test.dns").strip()));
              byte[] signed =
                  TestMessages.sign(
                      signer("test", "example.net", "ed25519test.key").build(),
                      message("ed25519test.msg"));
              DkimOutcome outcome = only(TestMessages.verify(verifier(records), signed));
              assertThat(outcome.result()).as(outcome.reason()).isEqualTo(DkimResult.PASS);
              assertThat(outcome.algorithm()).contains("ed25519-sha256");
            }));
    tests.add(
        dynamicTest(
            "ed25519test2.msg signed by Exim verifies",
            () -> {
              DkimOutcome outcome =
                  only(TestMessages.verify(verifier(records()), message("ed25519test2.msg")));
              assertThat(outcome.result()).as(outcome.reason()).isEqualTo(DkimResult.PASS);
              assertThat(outcome.domain()).contains("test.ex");
            }));
    tests.add(
        dynamicTest(
            "rfc6376.msg signed with rfc8032_7_1.key as brisbane verifies",
            () -> {
              byte[] signed =
                  TestMessages.sign(
                      signer("brisbane", "football.example.com", "rfc8032_7_1.key").build(),
                      message("rfc6376.msg"));
              DkimOutcome outcome = only(TestMessages.verify(verifier(records()), signed));
              assertThat(outcome.result()).as(outcome.reason()).isEqualTo(DkimResult.PASS);
            }));
    tests.add(
        dynamicTest(
            "rfc6376.msg signed with RSA and Ed25519 in one pass verifies twice",
            () -> {
              byte[] signed =
                  TestMessages.sign(
                      List.of(
                          signer("test", "football.example.com", "test.private").build(),
                          signer("brisbane", "football.example.com", "rfc8032_7_1.key").build()),
                      message("rfc6376.msg"),
                      5);
              List<DkimOutcome> outcomes = TestMessages.verify(verifier(records()), signed);
              assertThat(outcomes).hasSize(2).allMatch(DkimOutcome::passed);
            }));
    tests.add(
        dynamicTest(
            "rfc6376.signed.msg simple/simple Ed25519 and RSA signatures verify",
            () -> {
              List<DkimOutcome> outcomes =
                  TestMessages.verify(verifier(records()), message("rfc6376.signed.msg"));
              assertThat(outcomes).hasSize(2);
              assertThat(outcomes).allMatch(DkimOutcome::passed, outcomes.toString());
            }));
    tests.add(
        dynamicTest(
            "test2.message from Gmail with degenerate folding verifies",
            () -> {
              DkimOutcome outcome =
                  only(TestMessages.verify(verifier(records()), message("test2.message")));
              assertThat(outcome.result()).as(outcome.reason()).isEqualTo(DkimResult.PASS);
              assertThat(outcome.keyBits()).isEqualTo(2048);
            }));
    tests.add(
        dynamicTest(
            "test_extra.message signs and verifies",
            () -> {
              byte[] signed =
                  TestMessages.sign(
                      signer("test", "example.com", "test.private").build(),
                      message("test_extra.message"));
              assertThat(only(TestMessages.verify(verifier(records()), signed)).passed()).isTrue();
            }));
    tests.add(
        dynamicTest(
            "test_nofrom.message is refused for signing",
            () ->
                assertThatThrownBy(
                        () ->
                            TestMessages.sign(
                                signer("test", "example.com", "test.private").build(),
                                message("test_nofrom.message")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no From")));
    tests.add(
        dynamicTest(
            "l= is written, honored and reported",
            () -> {
              byte[] signed =
                  TestMessages.sign(
                      signer("test", "example.com", "test.private").bodyLength(true).build(),
                      testMessage);
              DkimOutcome outcome = only(TestMessages.verify(verifier(records()), signed));
              assertThat(outcome.passed()).isTrue();
              // relaxed body of test.message: "This is a test message.\r\n"
              assertThat(outcome.bodyLengthLimit()).hasValue(25);
              byte[] appended =
                  TestMessages.crlf(new String(signed, StandardCharsets.ISO_8859_1) + "more\n");
              DkimOutcome extended = only(TestMessages.verify(verifier(records()), appended));
              assertThat(extended.passed()).isTrue();
              assertThat(extended.reason()).contains("6 are not");
            }));
    tests.add(
        dynamicTest(
            "an extra From above or below the signed one fails; an unsigned X-Foo does not",
            () -> {
              byte[] signed =
                  TestMessages.sign(
                      signer("test", "example.com", "test.private").build(), testMessage);
              String s = new String(signed, StandardCharsets.ISO_8859_1);
              int split = s.indexOf("\r\n\r\n");
              String top = "From: \"Resident Evil\" <sales@spammer.com>\r\n" + s;
              String bottom =
                  s.substring(0, split)
                      + "\r\nFrom: \"Resident Evil\" <sales@spammer.com>"
                      + s.substring(split);
              String foo = s.substring(0, split) + "\r\nX-Foo: bar" + s.substring(split);
              assertThat(only(verify(top)).result()).isEqualTo(DkimResult.FAIL);
              assertThat(only(verify(bottom)).reason())
                  .isEqualTo("signature did not verify (headers changed?)");
              assertThat(only(verify(foo)).passed()).isTrue();
            }));
    return tests;
  }

  private static List<DkimOutcome> verify(String message) {
    return TestMessages.verify(verifier(records()), message.getBytes(StandardCharsets.ISO_8859_1));
  }
}
