package org.authmill.milter;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The SMTP client as the MTA saw it: the address to check SPF against (RFC 7208 §2.3 "the IP
 * address of the SMTP client"), and the host name the MTA found for it.
 *
 * @param hostname the client's verified host name, or its address in brackets ({@code [192.0.2.1]})
 *     when the MTA found none; {@code "unknown"} when the MTA knows nothing
 * @param address the client's IP address; empty for a local (Unix-domain) or unknown client, such
 *     as mail from Postfix's {@code sendmail} command
 * @param port the client's TCP port, 0 when there is none
 */
public record ClientInfo(String hostname, Optional<InetAddress> address, int port) {
  /** Validates. */
  public ClientInfo {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(address, "address");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** A short form for logs: the address (or the host name when there is none). */
  public String describe() {
    return address.map(InetAddress::getHostAddress).orElse(hostname);
  }
}
