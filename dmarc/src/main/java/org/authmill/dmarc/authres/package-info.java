/**
 * Authentication-Results header fields (RFC 8601): one generic model ({@link
 * org.authmill.dmarc.authres.AuthenticationResults}, {@link
 * org.authmill.dmarc.authres.MethodResult}, {@link org.authmill.dmarc.authres.ResultProperty}), one
 * writer with quoting, comments and folding, one parser for CFWS, comments, quoting and folding,
 * the spf/dkim/dmarc clauses ({@link org.authmill.dmarc.authres.AuthResultClauses}), and the
 * sanitizer that keeps DNS and message text from injecting line breaks or control characters
 * ({@link org.authmill.dmarc.authres.HeaderText}).
 */
package org.authmill.dmarc.authres;
