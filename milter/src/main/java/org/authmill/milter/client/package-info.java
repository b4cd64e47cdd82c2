/**
 * A milter client that behaves like Postfix 3.7's {@code milter8.c}: it negotiates version 6 with
 * every action and protocol flag offered, sends Postfix's default macros (empty {@code D} packets
 * included), LF-folded header values, the body in chunks of at most 65535 bytes split anywhere,
 * {@code A} after every transaction, and honors the events and replies the filter negotiated away.
 * Tests drive the server with it; the load generator reuses it for many connections.
 */
package org.authmill.milter.client;
