package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Header canonicalization (RFC 6376 §3.4.1 simple, §3.4.2 relaxed) against a plain reference,
 * through the public API: for any header section, the signature a signer makes verifies over the
 * data a reference builds from the RFC's words (fields picked bottom-up for each {@code h=} name,
 * §5.4.2; the DKIM-Signature field with its {@code b=} value removed, §3.7), and the verifier
 * passes the signed message.
 */
class HeaderCanonicalizerFuzzTest {
  private static final List<String> SIGNED = List.of("From", "Subject", "To", "X-Fuzz");

  @FuzzTest(maxDuration = "30s")
  void signature_anyHeaderFields_coversTheReferenceCanonicalForm(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    Canonicalization canon =
        (input[0] & 1) == 0 ? Canonicalization.SIMPLE : Canonicalization.RELAXED;
    List<byte[]> fields = fields(Arrays.copyOfRange(input, 1, input.length));
    DkimSignStream signing =
        DkimSignStream.of(List.of(FuzzDkim.signer(canon, Canonicalization.SIMPLE, SIGNED)));
    for (byte[] f : fields) {
      signing.header(f);
    }
    signing.body(FuzzDkim.bytes("body\r\n"));
    String value = signing.finish().get(0).value();
    byte[] signatureField = FuzzDkim.bytes("DKIM-Signature: " + value);

    // The reference: the signed fields, picked bottom-up per name, then the signature field.
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    boolean[] used = new boolean[fields.size()];
    for (String name : FuzzDkim.tag(value, "h").split(":")) {
      for (int i = fields.size() - 1; i >= 0; i--) {
        if (!used[i] && name(fields.get(i)).equalsIgnoreCase(name)) {
          used[i] = true;
          data.writeBytes(canonical(fields.get(i), canon));
          data.write('\r');
          data.write('\n');
          break;
        }
      }
    }
    data.writeBytes(canonical(withoutB(signatureField), canon));
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(data.toByteArray());
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(FuzzDkim.KEY.publicKeyData(), 0));
    verifier.update(hash, 0, hash.length);
    byte[] b = Base64.getDecoder().decode(FuzzDkim.tag(value, "b"));
    assertThat(verifier.verifySignature(b))
        .as("signature over the reference %s form of %s", canon, show(fields))
        .isTrue();

    DkimVerifyStream verification = FuzzDkim.verifier().newStream();
    verification.header(signatureField);
    for (byte[] f : fields) {
      verification.header(f);
    }
    verification.endOfHeaders();
    verification.body(FuzzDkim.bytes("body\r\n"));
    List<DkimOutcome> outcomes = verification.finish().toCompletableFuture().join();
    assertThat(outcomes).hasSize(1);
    assertThat(outcomes.get(0).result()).as(outcomes.get(0).reason()).isEqualTo(DkimResult.PASS);
  }

  /**
   * Header fields from the input: NUL separates fields; a field without a colon is a value of
   * X-Fuzz; a name holds only printable ASCII; line breaks only as CRLF followed by white space
   * (folding); one From field is there.
   */
  static List<byte[]> fields(byte[] input) {
    List<byte[]> out = new ArrayList<>();
    boolean from = false;
    int start = 0;
    for (int i = 0; i <= input.length; i++) {
      if (i == input.length || input[i] == 0) {
        byte[] f = field(Arrays.copyOfRange(input, start, i));
        if (name(f).equalsIgnoreCase("DKIM-Signature")) {
          f = BodyCanonicalizerFuzzTest.concat(FuzzDkim.bytes("X-"), f); // one signature only
        }
        from |= name(f).equalsIgnoreCase("From");
        out.add(f);
        start = i + 1;
      }
    }
    if (!from) {
      out.add(0, FuzzDkim.bytes("From: a@example.com"));
    }
    return out;
  }

  private static byte[] field(byte[] raw) {
    int colon = -1;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == ':') {
        colon = i;
        break;
      }
    }
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    int valueStart = 0;
    if (colon <= 0) {
      f.writeBytes(FuzzDkim.bytes("X-Fuzz:"));
    } else {
      int nameEnd = colon;
      while (nameEnd > 0 && (raw[nameEnd - 1] == ' ' || raw[nameEnd - 1] == '\t')) {
        nameEnd--; // white space before the colon is kept below, as written
      }
      for (int i = 0; i < nameEnd; i++) {
        f.write(raw[i] > 0x20 && raw[i] < 0x7F ? raw[i] : 'x');
      }
      if (nameEnd == 0) {
        f.write('x');
      }
      f.write(raw, nameEnd, colon - nameEnd + 1);
      valueStart = colon + 1;
    }
    for (int i = valueStart; i < raw.length; i++) {
      byte c = raw[i];
      if (c == '\r' || c == '\n') {
        boolean fold =
            c == '\r'
                && i + 2 < raw.length
                && raw[i + 1] == '\n'
                && (raw[i + 2] == ' ' || raw[i + 2] == '\t');
        if (fold) {
          f.write('\r');
          f.write('\n');
          i++;
        } else {
          f.write(' ');
        }
      } else {
        f.write(c);
      }
    }
    return f.toByteArray();
  }

  static String name(byte[] field) {
    String s = new String(field, StandardCharsets.ISO_8859_1);
    int colon = s.indexOf(':');
    return (colon < 0 ? s : s.substring(0, colon)).strip();
  }

  /**
   * RFC 6376 §3.4.1 simple: the field unchanged. §3.4.2 relaxed: the name in lower case; the value
   * unfolded; each run of WSP one SP; no WSP at the end of the value, nor around the colon.
   */
  static byte[] canonical(byte[] field, Canonicalization canon) {
    if (canon == Canonicalization.SIMPLE) {
      return field;
    }
    String s = new String(field, StandardCharsets.ISO_8859_1);
    int colon = s.indexOf(':');
    String name = s.substring(0, colon).toLowerCase(Locale.ROOT).replaceAll("[ \t]+$", "");
    String value =
        s.substring(colon + 1)
            .replace("\r\n", "")
            .replaceAll("[ \t]+", " ")
            .replaceAll("^ ", "")
            .replaceAll(" $", "");
    return (name + ":" + value).getBytes(StandardCharsets.ISO_8859_1);
  }

  /** RFC 6376 §3.7: the value of the b= tag, with the white space around it, deleted. */
  static byte[] withoutB(byte[] field) {
    String s = new String(field, StandardCharsets.ISO_8859_1);
    int colon = s.indexOf(':');
    StringBuilder out = new StringBuilder(s.substring(0, colon + 1));
    String[] specs = s.substring(colon + 1).split(";", -1);
    for (int i = 0; i < specs.length; i++) {
      String spec = specs[i];
      int eq = spec.indexOf('=');
      if (eq > 0 && spec.substring(0, eq).strip().equals("b")) {
        spec = spec.substring(0, eq + 1);
      }
      out.append(spec);
      if (i < specs.length - 1) {
        out.append(';');
      }
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String show(List<byte[]> fields) {
    List<String> shown = new ArrayList<>();
    for (byte[] f : fields) {
      shown.add(new String(f, StandardCharsets.ISO_8859_1));
    }
    return shown.toString();
  }
}
