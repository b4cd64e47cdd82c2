/**
 * The milter protocol, version 6, as Sendmail's libmilter defines it and Postfix speaks it ({@code
 * src/milter/milter8.c}), on Vert.x. Nothing here knows about SPF, DKIM or DMARC.
 *
 * <p>Public, for a user of the module: the filter SPI ({@link org.authmill.milter.MailFilter},
 * {@link org.authmill.milter.MailFilterFactory}, {@link org.authmill.milter.MailEvent}, {@link
 * org.authmill.milter.FilterChain}) and its values ({@link org.authmill.milter.ClientInfo}, {@link
 * org.authmill.milter.Macros}, {@link org.authmill.milter.Verdict}, {@link
 * org.authmill.milter.Decision}, {@link org.authmill.milter.HeaderChange}, {@link
 * org.authmill.milter.SmtpReply}); the server ({@link org.authmill.milter.MilterServer}, {@link
 * org.authmill.milter.MilterSettings}, {@link org.authmill.milter.MilterMetrics}); and, for the
 * client in {@code org.authmill.milter.client}, the protocol's packets and numbers ({@link
 * org.authmill.milter.MilterCodec}, {@link org.authmill.milter.MilterCommand}, {@link
 * org.authmill.milter.MilterReply}, {@link org.authmill.milter.MilterProtocol}, {@link
 * org.authmill.milter.MilterProtocolException}).
 *
 * <p>Package-private: one connection's session and its parts ({@code MilterSession} dispatches
 * commands; {@code SessionTransport} frames, queues and times out; {@code Negotiation}, {@code
 * FilterCalls}, {@code ReplyMapping}, {@code MessageLog}), and {@code ImmediateClose}, the one use
 * of a Vert.x internal API.
 */
package org.authmill.milter;
