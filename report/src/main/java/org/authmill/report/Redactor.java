package org.authmill.report;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Redaction of what a failure report shows of a message (RFC 9991 §6, in the manner of RFC 6590):
 * the local part of every address becomes a token, the first 8 hex digits of an HMAC-SHA256 of it
 * under a key that never leaves the process, so one address gives the same token throughout a
 * report (and the reports of one run) while the address cannot be read back; {@code http} and
 * {@code https} become {@code hxxp} and {@code hxxps} so links cannot be followed by accident.
 * Message-ID, In-Reply-To and References (identifiers the domain owner needs to find the message)
 * and DKIM-Signature and ARC fields (their tags) are left as they are.
 */
public final class Redactor {
  /** No redaction: every value as it is. */
  public static final Redactor NONE = new Redactor(null);

  private static final Pattern ADDRESS =
      Pattern.compile(
          "([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)");
  private static final Pattern URL = Pattern.compile("(?i)\\bhttp(s?)://");
  private static final Set<String> KEPT =
      Set.of(
          "message-id",
          "in-reply-to",
          "references",
          "dkim-signature",
          "arc-seal",
          "arc-message-signature",
          "arc-authentication-results");

  private final byte[] key;

  private Redactor(byte[] key) {
    this.key = key;
  }

  /** A redactor with a fresh random key. */
  public static Redactor withRandomKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return new Redactor(k);
  }

  /** A redactor with a given key (tests). */
  static Redactor withKey(byte[] key) {
    return new Redactor(key.clone());
  }

  /** True when this redactor changes anything. */
  public boolean redacts() {
    return key != null;
  }

  /** A header field's value as the report shows it. */
  public String field(String name, String value) {
    if (key == null || KEPT.contains(name.toLowerCase(Locale.ROOT))) {
      return value;
    }
    return text(value);
  }

  /** Free text (an address, a header value) with local parts replaced and links defanged. */
  public String text(String value) {
    if (key == null) {
      return value;
    }
    Matcher m = ADDRESS.matcher(value);
    StringBuilder out = new StringBuilder(value.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(token(m.group(1)) + "@" + m.group(2)));
    }
    m.appendTail(out);
    return URL.matcher(out.toString()).replaceAll("hxxp$1://");
  }

  /** The token that stands for a local part. */
  String token(String localPart) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] h = mac.doFinal(localPart.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
