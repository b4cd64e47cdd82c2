/** DomainKeys Identified Mail (RFC 6376, RFC 8301, RFC 8463): signing and verification. */
package org.authmill.dkim;
