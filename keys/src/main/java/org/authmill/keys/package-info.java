/**
 * DKIM key rotation without downtime (RFC 6376 §3.6.1, §3.6.2; M3AAWG DKIM Key Rotation Best Common
 * Practices): a lifecycle per (domain, algorithm) whose state survives restarts.
 *
 * <ol>
 *   <li>generate the next key with a new selector ({@link org.authmill.keys.SelectorFormat});
 *   <li>publish its TXT record by DNS UPDATE (RFC 2136, TSIG per RFC 8945), or print it and wait
 *       for the operator's confirmation;
 *   <li>ask every authoritative name server of the zone directly until each serves the exact
 *       record;
 *   <li>only then sign with the new key (optionally with the old one too, during an overlap);
 *   <li>after the old record's TTL plus a retention window, stop signing with the old key, remove
 *       its record (or publish an empty {@code p=}, a revocation) and delete or archive its private
 *       key.
 * </ol>
 *
 * <p>{@link org.authmill.keys.KeyRotator} runs the steps; {@link org.authmill.keys.KeyStore} keeps
 * the state under {@code STATE_DIR/keys/}; {@link org.authmill.keys.KeyRing} is one snapshot of it,
 * and tells which keys sign now. A step that cannot finish (a refused UPDATE, a name server that
 * lags or does not answer) leaves the current key signing and waits in the state, with its reason.
 */
package org.authmill.keys;
