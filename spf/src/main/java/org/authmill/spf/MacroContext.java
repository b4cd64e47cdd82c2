package org.authmill.spf;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * The values the macro letters of RFC 7208 §7.3 expand to during one check_host() call.
 *
 * @param sender {@code s}: the sender mailbox, {@code local-part@domain} (postmaster@HELO for the
 *     null reverse-path, §4.3)
 * @param localPart {@code l}: the local-part of the sender
 * @param senderDomain {@code o}: the domain of the sender
 * @param domain {@code d}: the domain whose record is being evaluated
 * @param ip {@code i}, {@code c}, {@code v}: the SMTP client address (IPv4-mapped IPv6 given as
 *     IPv4)
 * @param helo {@code h}: the HELO/EHLO name as given by the client
 * @param validatedName {@code p}: the validated domain name of the client (§5.5), or {@code
 *     unknown}
 * @param receiver {@code r}: the name of the host performing the check, or {@code unknown}
 * @param now {@code t}: the current time
 */
record MacroContext(
    String sender,
    String localPart,
    String senderDomain,
    String domain,
    InetAddress ip,
    String helo,
    String validatedName,
    String receiver,
    Instant now) {
  MacroContext {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(localPart, "localPart");
    Objects.requireNonNull(senderDomain, "senderDomain");
    Objects.requireNonNull(domain, "domain");
    ip = Addresses.normalize(Objects.requireNonNull(ip, "ip"));
    Objects.requireNonNull(helo, "helo");
    Objects.requireNonNull(validatedName, "validatedName");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(now, "now");
  }

  /** The same context for another {@code <domain>} (include, redirect). */
  MacroContext withDomain(String newDomain) {
    return new MacroContext(
        sender, localPart, senderDomain, newDomain, ip, helo, validatedName, receiver, now);
  }

  /** The same context with the {@code p} value found by the validation of §5.5. */
  MacroContext withValidatedName(String name) {
    return new MacroContext(sender, localPart, senderDomain, domain, ip, helo, name, receiver, now);
  }
}
