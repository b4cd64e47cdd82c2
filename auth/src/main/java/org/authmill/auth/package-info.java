/**
 * The combined check for library users: SPF (RFC 7208) for MAIL FROM and HELO, every DKIM signature
 * (RFC 6376), DMARC (RFC 9989) for the From: domain, and the Authentication-Results field that
 * reports them (RFC 8601), for one message at a time.
 *
 * <p>{@link org.authmill.auth.Authenticator} is the engine, built once; {@link
 * org.authmill.auth.AuthStream} takes one message as it arrives; {@link
 * org.authmill.auth.AuthOutcome} is the result. No Vert.x, no logging backend: the filter and the
 * command line are built on this package, not the other way round.
 */
package org.authmill.auth;
