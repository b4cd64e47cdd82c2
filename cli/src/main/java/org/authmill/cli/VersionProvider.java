package org.authmill.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, as Maven built it. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Authmill.class.getPackage().getImplementationVersion();
    return new String[] {
      "authmill " + (version == null ? "(development build)" : version),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
