package org.authmill.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A mechanism of an SPF record (RFC 7208 §5): what a directive compares the client address with.
 * The six that query the DNS ({@code include}, {@code a}, {@code mx}, {@code ptr}, {@code exists},
 * and the {@code redirect=} modifier) count against the limit of RFC 7208 §4.6.4.
 */
public sealed interface Mechanism
    permits Mechanism.All,
        Mechanism.Include,
        Mechanism.A,
        Mechanism.Mx,
        Mechanism.Ptr,
        Mechanism.Ip4,
        Mechanism.Ip6,
        Mechanism.Exists {

  /** The mechanism's name in lower case, such as {@code include}. */
  String name();

  /** True for the mechanisms that cause DNS queries and count against the limit of §4.6.4. */
  default boolean queriesDns() {
    return false;
  }

  /** {@code all}: always matches (§5.1). */
  record All() implements Mechanism {
    @Override
    public String name() {
      return "all";
    }
  }

  /** {@code include:domain-spec}: matches when the other domain's check_host() passes (§5.2). */
  record Include(MacroString domainSpec) implements Mechanism {
    public Include {
      Objects.requireNonNull(domainSpec, "domainSpec");
    }

    @Override
    public String name() {
      return "include";
    }

    @Override
    public boolean queriesDns() {
      return true;
    }
  }

  /**
   * {@code a[:domain-spec][/ip4-cidr][//ip6-cidr]}: matches an address of the name (§5.3).
   *
   * @param domainSpec the name, or empty for the current {@code <domain>}
   * @param ip4Prefix the prefix length for IPv4 clients (32 when not written)
   * @param ip6Prefix the prefix length for IPv6 clients (128 when not written)
   */
  record A(Optional<MacroString> domainSpec, int ip4Prefix, int ip6Prefix) implements Mechanism {
    public A {
      Objects.requireNonNull(domainSpec, "domainSpec");
      checkPrefixes(ip4Prefix, ip6Prefix);
    }

    @Override
    public String name() {
      return "a";
    }

    @Override
    public boolean queriesDns() {
      return true;
    }
  }

  /**
   * {@code mx[:domain-spec][/ip4-cidr][//ip6-cidr]}: matches an address of one of the name's mail
   * exchangers (§5.4).
   */
  record Mx(Optional<MacroString> domainSpec, int ip4Prefix, int ip6Prefix) implements Mechanism {
    public Mx {
      Objects.requireNonNull(domainSpec, "domainSpec");
      checkPrefixes(ip4Prefix, ip6Prefix);
    }

    @Override
    public String name() {
      return "mx";
    }

    @Override
    public boolean queriesDns() {
      return true;
    }
  }

  /**
   * {@code ptr[:domain-spec]}: matches when a validated reverse name of the client lies in the
   * domain (§5.5; its use is discouraged).
   */
  record Ptr(Optional<MacroString> domainSpec) implements Mechanism {
    public Ptr {
      Objects.requireNonNull(domainSpec, "domainSpec");
    }

    @Override
    public String name() {
      return "ptr";
    }

    @Override
    public boolean queriesDns() {
      return true;
    }
  }

  /** {@code ip4:network[/prefix]}: matches IPv4 clients in the network (§5.6). */
  record Ip4(Inet4Address network, int prefix) implements Mechanism {
    public Ip4 {
      Objects.requireNonNull(network, "network");
      if (prefix < 0 || prefix > 32) {
        throw new IllegalArgumentException("ip4 prefix must be 0 to 32: " + prefix);
      }
    }

    @Override
    public String name() {
      return "ip4";
    }
  }

  /** {@code ip6:network[/prefix]}: matches IPv6 clients in the network (§5.6). */
  record Ip6(InetAddress network, int prefix) implements Mechanism {
    public Ip6 {
      Objects.requireNonNull(network, "network");
      if (network.getAddress().length != 16) {
        throw new IllegalArgumentException("ip6 needs a 16-byte address: " + network);
      }
      if (prefix < 0 || prefix > 128) {
        throw new IllegalArgumentException("ip6 prefix must be 0 to 128: " + prefix);
      }
    }

    @Override
    public String name() {
      return "ip6";
    }
  }

  /** {@code exists:domain-spec}: matches when the name has an A record (§5.7). */
  record Exists(MacroString domainSpec) implements Mechanism {
    public Exists {
      Objects.requireNonNull(domainSpec, "domainSpec");
    }

    @Override
    public String name() {
      return "exists";
    }

    @Override
    public boolean queriesDns() {
      return true;
    }
  }

  private static void checkPrefixes(int ip4Prefix, int ip6Prefix) {
    if (ip4Prefix < 0 || ip4Prefix > 32) {
      throw new IllegalArgumentException("ip4-cidr-length must be 0 to 32: " + ip4Prefix);
    }
    if (ip6Prefix < 0 || ip6Prefix > 128) {
      throw new IllegalArgumentException("ip6-cidr-length must be 0 to 128: " + ip6Prefix);
    }
  }
}
