package org.authmill.server.auth;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.authmill.milter.Macros;
import org.authmill.server.Cidr;

/**
 * Tells outbound mail (to be DKIM-signed) from inbound mail (to be verified): a message is outbound
 * when the client logged in with SASL ({@code {auth_authen}}), when it came through an MTA service
 * whose {@code {daemon_name}} is one of the originating daemons (Postfix's submission services are
 * conventionally named {@code ORIGINATING}), or when the client is in a trusted network. No network
 * is trusted unless configured.
 *
 * @param trustedNetworks clients whose mail is outbound
 * @param originatingDaemons {@code {daemon_name}} values whose mail is outbound
 */
public record Direction(List<Cidr> trustedNetworks, List<String> originatingDaemons) {
  public Direction {
    trustedNetworks = List.copyOf(trustedNetworks);
    originatingDaemons = List.copyOf(originatingDaemons);
  }

  /** Why the message is outbound, or empty when it is inbound. */
  public Optional<String> outbound(Optional<InetAddress> client, Macros macros) {
    Optional<String> login = macros.get("auth_authen").filter(s -> !s.isBlank());
    if (login.isPresent()) {
      return Optional.of("SASL login " + login.get());
    }
    Optional<String> daemon = macros.get("daemon_name");
    if (daemon.isPresent() && originatingDaemons.contains(daemon.get())) {
      return Optional.of("daemon " + daemon.get());
    }
    if (client.isPresent()) {
      for (Cidr network : trustedNetworks) {
        if (network.contains(client.get())) {
          return Optional.of("trusted network " + network);
        }
      }
    }
    return Optional.empty();
  }
}
