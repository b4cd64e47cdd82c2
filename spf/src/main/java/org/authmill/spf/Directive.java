package org.authmill.spf;

import java.util.Objects;

/**
 * A directive of an SPF record (RFC 7208 §4.6.1): a qualifier and a mechanism.
 *
 * @param qualifier the result when the mechanism matches ({@link Qualifier#PASS} when none was
 *     written)
 * @param mechanism what is compared
 * @param text the term as written in the record, for reasons and the Received-SPF {@code
 *     mechanism=} key
 */
public record Directive(Qualifier qualifier, Mechanism mechanism, String text) {
  public Directive {
    Objects.requireNonNull(qualifier, "qualifier");
    Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return text;
  }
}
