package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.authmill.dns.ParseResult;

/**
 * {@link DkimKeyRecord#parse} on any TXT text (RFC 6376 §3.6.1, RFC 8463 §4): a value (valid or
 * invalid with a reason), never an exception; a valid record's fields are consistent; and a valid
 * record written back as a tag list parses to an equal record.
 */
class DkimKeyRecordFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse_anyText_validOrInvalidAndRoundTrip(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ParseResult<DkimKeyRecord> parse = DkimKeyRecord.parse(text);
    if (parse instanceof ParseResult.Invalid<DkimKeyRecord> invalid) {
      assertThat(invalid.reason()).isNotBlank();
      return;
    }
    DkimKeyRecord key = parse.value().orElseThrow();
    assertThat(key.keyType()).isIn("rsa", "ed25519");
    if (key.revoked()) {
      assertThat(key.keyBits()).isZero();
    } else if (key.keyType().equals("ed25519")) {
      assertThat(key.keyBits()).isEqualTo(256);
      assertThat(key.publicKeyData()).hasSize(32);
    } else {
      assertThat(key.keyBits()).isPositive();
    }
    List<String> tags = new ArrayList<>();
    tags.add("v=DKIM1");
    tags.add("k=" + key.keyType());
    if (!key.hashAlgorithms().isEmpty()) {
      tags.add("h=" + String.join(":", key.hashAlgorithms()));
    }
    tags.add("s=" + String.join(":", key.serviceTypes()));
    if (!key.flags().isEmpty()) {
      tags.add("t=" + String.join(":", key.flags()));
    }
    if (!key.notes().isEmpty()) {
      tags.add("n=" + key.notes());
    }
    tags.add("p=" + Base64.getEncoder().encodeToString(key.publicKeyData()));
    String written = String.join("; ", tags);
    ParseResult<DkimKeyRecord> again = DkimKeyRecord.parse(written);
    assertThat(again).as("written back: %s", written).isInstanceOf(ParseResult.Parsed.class);
    DkimKeyRecord other = again.value().orElseThrow();
    assertThat(other).isEqualTo(key);
    assertThat(other.keyBits()).isEqualTo(key.keyBits());
    assertThat(other.allowsEmail()).isEqualTo(key.allowsEmail());
    assertThat(other.testing()).isEqualTo(key.testing());
    assertThat(other.strict()).isEqualTo(key.strict());
  }
}
