/**
 * Sender Policy Framework (RFC 7208): evaluation of check_host(), records, macros, Received-SPF.
 */
package org.authmill.spf;
