package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;

/** RFC 8463 Appendix A: the example message verifies for both signatures and re-signs exactly. */
class Rfc8463VectorsTest {
  private static final Instant SIGNED_AT = Instant.ofEpochSecond(1528637909);
  private static final List<String> HEADERS =
      List.of("from", "to", "subject", "date", "message-id");

  static Map<String, List<String>> dns(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    Map<String, List<String>> out = new HashMap<>();
    root.fields()
        .forEachRemaining(
            e -> {
              List<String> records = new ArrayList<>();
              JsonNode txt = e.getValue().get("TXT");
              if (txt != null) {
                for (JsonNode record : txt) {
                  StringBuilder joined = new StringBuilder();
                  record.forEach(chunk -> joined.append(chunk.asText()));
                  records.add(joined.toString());
                }
              }
              out.put(e.getKey().toLowerCase(), records);
            });
    return out;
  }

  private static DkimVerifier verifier() throws IOException {
    return DkimVerifier.builder(
            TestMessages.resolver(dns(TestPaths.suite("dkim/rfc8463/dns.json"))))
        .clock(Clock.fixed(SIGNED_AT, ZoneOffset.UTC))
        .build();
  }

  @Test
  void signedMessage_verifiesBothSignatures() throws IOException {
    byte[] message = TestMessages.read(TestPaths.suite("dkim/rfc8463/signed.eml"));
    for (int chunk : new int[] {1, 2, 7, 65536}) {
      List<DkimOutcome> outcomes = TestMessages.verify(verifier(), message, chunk);
      assertThat(outcomes).hasSize(2);
      assertThat(outcomes).allMatch(DkimOutcome::passed, "passes with chunks of " + chunk);
      assertThat(outcomes.get(0).algorithm()).contains("ed25519-sha256");
      assertThat(outcomes.get(0).selector()).contains("brisbane");
      assertThat(outcomes.get(0).keyBits()).isEqualTo(256);
      assertThat(outcomes.get(1).algorithm()).contains("rsa-sha256");
      assertThat(outcomes.get(1).keyBits()).isEqualTo(1024);
      assertThat(outcomes.get(1).domain()).contains("football.example.com");
      assertThat(outcomes.get(1).identity()).contains("@football.example.com");
    }
  }

  @Test
  void resign_reproducesBothSignaturesExactly() throws IOException {
    byte[] signed = TestMessages.read(TestPaths.suite("dkim/rfc8463/signed.eml"));
    TestMessages.Split split = TestMessages.split(signed);
    List<byte[]> original = new ArrayList<>();
    DkimSignStream signing =
        DkimSignStream.of(
            List.of(
                signer("brisbane", key("dkim/rfc8463/private-ec.key")),
                signer("test", key("dkim/rfc8463/private-rsa.key"))));
    for (byte[] field : split.fields()) {
      if (HeaderStore.nameOf(field, 0, field.length).equals("dkim-signature")) {
        original.add(field);
      } else {
        signing.header(field);
      }
    }
    signing.endOfHeaders();
    signing.body(split.body());
    List<DkimSignatureField> fields = signing.finish();
    assertThat(fields).hasSize(2);
    HeaderCanonicalizer canon = new HeaderCanonicalizer();
    for (int i = 0; i < 2; i++) {
      byte[] made = fields.get(i).field().getBytes(StandardCharsets.ISO_8859_1);
      Map<String, String> expected = tags(original.get(i));
      Map<String, String> actual = tags(made);
      assertThat(actual.get("b")).isEqualTo(expected.get("b"));
      assertThat(actual.get("bh")).isEqualTo(expected.get("bh"));
      // the hashed text: every tag, in order, as relaxed canonicalization sees it
      byte[] madeUnsigned = HeaderCanonicalizer.withoutSignatureValue(made);
      byte[] originalUnsigned = HeaderCanonicalizer.withoutSignatureValue(original.get(i));
      assertThat(new String(canon.relaxedCopy(madeUnsigned), StandardCharsets.ISO_8859_1))
          .isEqualTo(new String(canon.relaxedCopy(originalUnsigned), StandardCharsets.ISO_8859_1));
    }
  }

  private static Map<String, String> tags(byte[] field) {
    try {
      String text = new String(field, StandardCharsets.ISO_8859_1);
      TagList list = TagList.parse(text.substring(text.indexOf(':') + 1));
      Map<String, String> out = new HashMap<>();
      for (String name : list.names()) {
        out.put(name, TagList.stripWhitespace(list.get(name)));
      }
      return out;
    } catch (TagList.SyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static DkimPrivateKey key(String path) throws IOException {
    return DkimPrivateKey.parse(Files.readString(TestPaths.suite(path)));
  }

  private static DkimSigner signer(String selector, DkimPrivateKey key) {
    return DkimSigner.builder()
        .domain("football.example.com")
        .selector(selector)
        .key(key)
        .identity("@football.example.com")
        .queryMethod(true)
        .spacedHeaderList(true)
        .headers(HEADERS)
        .oversign(List.of("from", "subject", "date"))
        .clock(Clock.fixed(SIGNED_AT, ZoneOffset.UTC))
        .build();
  }
}
