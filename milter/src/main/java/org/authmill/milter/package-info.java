/**
 * The milter protocol, version 6, as Sendmail's libmilter defines it and Postfix speaks it ({@code
 * src/milter/milter8.c}): packet framing and coding ({@link org.authmill.milter.MilterCodec}),
 * typed packets ({@link org.authmill.milter.MilterCommand} from the MTA, {@link
 * org.authmill.milter.MilterReply} to it), the per-connection state machine and the Vert.x server.
 * Nothing here knows about SPF, DKIM or DMARC: filters plug in through {@link
 * org.authmill.milter.MailFilter}.
 */
package org.authmill.milter;
