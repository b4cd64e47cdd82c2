/**
 * Inbound message authentication: SPF (RFC 7208) for MAIL FROM and HELO, DKIM (RFC 6376) for every
 * signature, DMARC (RFC 9989) for the From: domain, and the Authentication-Results field (RFC 8601)
 * that reports them. {@link org.authmill.auth.Authenticator} is shared by the milter and by {@code
 * authmill check}, so both give the same verdicts for the same message.
 */
package org.authmill.server.auth;
