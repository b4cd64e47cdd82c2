/**
 * The milter protocol, version 6, as Sendmail's libmilter defines it and Postfix speaks it ({@code
 * src/milter/milter8.c}): packet framing and coding ({@link
 * org.authmill.server.milter.MilterCodec}), typed packets ({@link
 * org.authmill.server.milter.MilterCommand} from the MTA, {@link
 * org.authmill.server.milter.MilterReply} to it), the per-connection state machine and the Vert.x
 * server. Nothing here knows about SPF, DKIM or DMARC: filters plug in through {@link
 * org.authmill.server.MailFilter}.
 */
package org.authmill.server.milter;
