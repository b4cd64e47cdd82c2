/**
 * Which DKIM keys sign which mail (RFC 6376 §3.5 {@code d=} and {@code s=}): keys given as {@code
 * DOMAIN:SELECTOR:KEYFILE}, and OpenDKIM's {@code KeyTable} and {@code SigningTable} files (flat
 * and {@code refile:} wildcard forms, {@code %} for the sender's domain, MultipleSignatures), so an
 * OpenDKIM site can switch without rewriting its key setup. The signing itself lives in the dkim
 * module.
 */
package org.authmill.server.signing;
