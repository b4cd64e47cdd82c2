/**
 * Authenticated Received Chain (RFC 8617): verification of the ARC sets on a message ({@link
 * org.authmill.arc.ArcVerifier}, §5.2), sealing a new set ({@link org.authmill.arc.ArcSealer},
 * §5.1), and the {@code arc} method of Authentication-Results ({@link
 * org.authmill.arc.ArcResultClauses}, §7.2 of RFC 8617 and RFC 8601).
 *
 * <p>ARC reuses DKIM's canonicalization, hashing, key records and signature algorithms (RFC 8617
 * §4.1), taken from {@code org.authmill.dkim} through {@link org.authmill.dkim.DkimPrimitives}. The
 * module stands alone so that it can be retired cleanly when ARC is moved to Historic.
 */
package org.authmill.arc;
