/** DMARC (RFC 9989): policy discovery, identifier alignment; Authentication-Results (RFC 8601). */
package org.authmill.dmarc;
