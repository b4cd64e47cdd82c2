/**
 * Sender Policy Framework (RFC 7208): {@link org.authmill.spf.SpfVerifier} runs check_host() (§4)
 * for the MAIL FROM and HELO identities, asynchronously and within the limits of §4.6.4 ({@link
 * org.authmill.spf.SpfLimits}); {@link org.authmill.spf.SpfParser} turns record text into a {@link
 * org.authmill.spf.SpfRecord} of {@link org.authmill.spf.Directive}s and {@link
 * org.authmill.spf.Mechanism}s, or names the bad term (macros, §7, are expanded inside the check);
 * {@link org.authmill.spf.SpfOutcome} is the immutable result, written as a Received-SPF header
 * (§9.1) by {@link org.authmill.spf.ReceivedSpf}; {@link org.authmill.spf.SpfLinter} checks a
 * published record for its owner.
 */
package org.authmill.spf;
