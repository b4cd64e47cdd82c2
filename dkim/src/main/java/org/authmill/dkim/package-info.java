/**
 * DomainKeys Identified Mail: streaming signing and verification (RFC 6376), with RSA keys as RFC
 * 8301 allows them and Ed25519 (RFC 8463).
 *
 * <p>Verify: build a {@link org.authmill.dkim.DkimVerifier} once (resolver, clock, limits), then
 * per message feed a {@link org.authmill.dkim.DkimVerifyStream} the raw header fields, call {@code
 * endOfHeaders()} (the key lookups start), feed body chunks, and {@code finish()} for one {@link
 * org.authmill.dkim.DkimOutcome} per signature. Sign: build {@link org.authmill.dkim.DkimSigner}s
 * with {@link org.authmill.dkim.DkimPrivateKey}s, feed a {@link org.authmill.dkim.DkimSignStream}
 * the same way, and prepend the {@link org.authmill.dkim.DkimSignatureField}s it returns. The raw
 * octets are hashed as received; nothing is re-serialized, and memory does not grow with the body.
 */
package org.authmill.dkim;
