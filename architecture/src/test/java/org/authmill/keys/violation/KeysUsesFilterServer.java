package org.authmill.keys.violation;

import org.authmill.server.ConfigException;

/** Breaks {@code keys_standOnDnsAndDkimOnly}: key rotation that reaches up into the filter. */
public final class KeysUsesFilterServer {
  private KeysUsesFilterServer() {}

  static RuntimeException fail(String why) {
    return new ConfigException(why);
  }
}
