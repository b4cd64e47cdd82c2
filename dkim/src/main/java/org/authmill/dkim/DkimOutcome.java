package org.authmill.dkim;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The outcome of verifying one DKIM-Signature header field (RFC 6376 §6.1), in terms an operator
 * and an Authentication-Results writer (RFC 8601 §2.7.1) can use.
 *
 * @param result the RFC 8601 result
 * @param domain the signing domain ({@code d=}), empty when the signature did not name one
 * @param selector the selector ({@code s=}), empty when the signature did not name one
 * @param algorithm the {@code a=} value as written (also unsupported ones), empty when absent
 * @param keyBits the size of the public key in bits (RSA modulus; 256 for Ed25519), 0 if unknown
 * @param reason why, in words an operator can act on
 * @param identity the agent or user identifier ({@code i=}, default {@code @d}), empty when the
 *     signature was not read that far
 * @param bodyLengthLimit the {@code l=} body length count, when the signature had one
 * @param testing true when the key record says the domain is testing DKIM ({@code t=y}, RFC 6376
 *     §3.6.1): verifiers must not treat the message differently from unsigned mail
 * @param signatureData the {@code b=} value without whitespace (for {@code header.b}, RFC 6008),
 *     empty when absent
 */
public record DkimOutcome(
    DkimResult result,
    Optional<String> domain,
    Optional<String> selector,
    Optional<String> algorithm,
    int keyBits,
    String reason,
    Optional<String> identity,
    OptionalLong bodyLengthLimit,
    boolean testing,
    Optional<String> signatureData) {

  public DkimOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(bodyLengthLimit, "bodyLengthLimit");
    Objects.requireNonNull(signatureData, "signatureData");
    if (result == DkimResult.NONE) {
      throw new IllegalArgumentException("none is a message-level result, not a signature's");
    }
    if (keyBits < 0) {
      throw new IllegalArgumentException("negative key size: " + keyBits);
    }
  }

  /** True when the signature passed. */
  public boolean passed() {
    return result == DkimResult.PASS;
  }
}
