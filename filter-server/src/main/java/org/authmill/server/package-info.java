/**
 * The authmill filter server: a milter (protocol v6, as Postfix speaks it) that applies SPF, DKIM,
 * DMARC and Authentication-Results (RFC 8601) to mail passing through the MTA.
 *
 * <p>The seam between the milter machinery and the checks is a small service-provider interface:
 * {@link org.authmill.milter.MailFilterFactory} makes one {@link org.authmill.milter.MailFilter}
 * per MTA connection; its asynchronous callbacks see the connection, envelope, headers and body,
 * and return {@link org.authmill.milter.Verdict}s and, at the end of a message, a {@link
 * org.authmill.milter.Decision} with {@link org.authmill.milter.HeaderChange}s. Nothing in these
 * types knows the milter wire format ({@code org.authmill.milter}). {@link
 * org.authmill.server.FilterServer} runs it all from a {@link org.authmill.server.FilterConfig}.
 */
package org.authmill.server;
