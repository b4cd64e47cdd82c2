package org.authmill.auth.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One result of an Authentication-Results header field, a {@code resinfo} (RFC 8601 §2.2): the
 * method and its version, the result, an optional {@code reason}, an optional comment after the
 * result (where OpenDKIM, OpenDMARC and dkimpy put key sizes and policies), and the properties.
 *
 * @param method the method ({@code spf}, {@code dkim}, {@code dmarc}, ...), stored in lower case
 * @param version the method version ({@code dkim/1}), when given
 * @param result the result keyword, stored in lower case
 * @param reason the {@code reason=} value (RFC 8601 §2.3), without quotes
 * @param comment the comment following the result, without parentheses
 * @param properties the properties, in order
 */
public record MethodResult(
    String method,
    OptionalInt version,
    String result,
    Optional<String> reason,
    Optional<String> comment,
    List<ResultProperty> properties) {
  public MethodResult {
    method = AuthenticationResults.keyword("method", method);
    Objects.requireNonNull(version, "version");
    result = AuthenticationResults.keyword("result", result);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(comment, "comment");
    properties = List.copyOf(properties);
  }

  /** A result without reason, comment or properties. */
  public static MethodResult of(String method, String result) {
    return new MethodResult(
        method, OptionalInt.empty(), result, Optional.empty(), Optional.empty(), List.of());
  }

  /** This result with one more property. */
  public MethodResult with(String ptype, String property, String value) {
    List<ResultProperty> more = new ArrayList<>(properties);
    more.add(new ResultProperty(ptype, property, value));
    return new MethodResult(method, version, result, reason, comment, more);
  }

  /** This result with a reason. */
  public MethodResult withReason(String text) {
    return new MethodResult(method, version, result, Optional.of(text), comment, properties);
  }

  /** This result with a comment after the result. */
  public MethodResult withComment(String text) {
    return new MethodResult(method, version, result, reason, Optional.of(text), properties);
  }

  /** The value of the first property of this name ({@code header.d}, ...), if any. */
  public Optional<String> property(String name) {
    for (ResultProperty p : properties) {
      if (p.name().equalsIgnoreCase(name)) {
        return Optional.of(p.value());
      }
    }
    return Optional.empty();
  }

  /** The resinfo as written, without the leading semicolon. */
  @Override
  public String toString() {
    return String.join(" ", AuthResultsWriter.atoms(this));
  }
}
