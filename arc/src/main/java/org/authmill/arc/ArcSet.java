package org.authmill.arc;

import java.util.List;
import java.util.Objects;

/**
 * A new ARC set made by an {@link ArcSealer} (RFC 8617 §4.1): three whole header fields ({@code
 * Name: value}, folded with CRLF TAB, without a final CRLF), which must be added exactly as written
 * at the top of the message.
 *
 * @param instance the set's instance {@code i=}
 * @param seal the ARC-Seal field
 * @param messageSignature the ARC-Message-Signature field
 * @param authenticationResults the ARC-Authentication-Results field
 */
public record ArcSet(
    int instance, String seal, String messageSignature, String authenticationResults) {
  public ArcSet {
    Objects.requireNonNull(seal, "seal");
    Objects.requireNonNull(messageSignature, "messageSignature");
    Objects.requireNonNull(authenticationResults, "authenticationResults");
  }

  /** The three fields in the order they go on top of the message: seal, signature, results. */
  public List<String> fields() {
    return List.of(seal, messageSignature, authenticationResults);
  }

  /** The value of a field, after its name and the colon and space. */
  public static String valueOf(String field) {
    int colon = field.indexOf(':');
    return field.substring(colon + 1).stripLeading();
  }

  /** The fields with the given line break in place of CRLF (e.g. "\n" for a milter). */
  public List<String> fields(String lineBreak) {
    return fields().stream().map(f -> f.replace("\r\n", lineBreak)).toList();
  }
}
