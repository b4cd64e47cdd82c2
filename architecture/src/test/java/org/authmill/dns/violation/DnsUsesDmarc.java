package org.authmill.dns.violation;

import org.authmill.dmarc.DmarcMode;

/** Breaks {@code engines_importNoOtherEngineButDns}: dns, the bottom, that uses an engine. */
public final class DnsUsesDmarc {
  private DnsUsesDmarc() {}

  static DmarcMode mode() {
    return DmarcMode.RFC9989;
  }
}
