/**
 * Authentication-Results header fields (RFC 8601): one generic model ({@link
 * org.authmill.auth.results.AuthenticationResults}, {@link org.authmill.auth.results.MethodResult},
 * {@link org.authmill.auth.results.ResultProperty}), one writer with quoting, comments and folding,
 * one parser for CFWS, comments, quoting and folding, the spf/dkim/dmarc clauses ({@link
 * org.authmill.auth.results.AuthResultClauses}, made from the engines' outcomes), and, inside the
 * package, the sanitizer that keeps DNS and message text from injecting line breaks or control
 * characters ({@code HeaderText}).
 */
package org.authmill.auth.results;
