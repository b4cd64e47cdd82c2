package org.authmill.report;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Why the disposition applied differs from the policy published (RFC 9990 §3.1.1.16 and §3.1.6):
 * one of the registered types and an optional comment.
 *
 * @param type local_policy, mailing_list, other, policy_test_mode or trusted_forwarder
 * @param comment further details
 */
public record OverrideReason(String type, Optional<String> comment) {
  static final Set<String> TYPES =
      Set.of("local_policy", "mailing_list", "other", "policy_test_mode", "trusted_forwarder");

  public OverrideReason {
    type = Fields.keyword(type, TYPES, "policy override type");
    comment = Objects.requireNonNull(comment, "comment").map(Fields::comment);
  }

  /** A reason without a comment. */
  public static OverrideReason of(String type) {
    return new OverrideReason(type, Optional.empty());
  }

  /** This reason with that comment (none: without one). */
  public OverrideReason withComment(Optional<String> text) {
    return new OverrideReason(type, text);
  }
}
