/** The milter filter server (milter protocol v6) that applies SPF, DKIM and DMARC for Postfix. */
package org.authmill.server;
