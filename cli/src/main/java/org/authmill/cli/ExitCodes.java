package org.authmill.cli;

/** The exit statuses every subcommand uses. */
public final class ExitCodes {
  /** The verdict is pass (or the command did what it was asked). */
  public static final int PASS = 0;

  /** Any verdict other than pass or a temporary failure: fail, softfail, neutral, none, ... */
  public static final int NOT_PASS = 1;

  /** Bad usage or bad input: an unknown option, an unreadable file, a malformed address. */
  public static final int USAGE = 2;

  /** A temporary failure, such as a DNS timeout (sysexits.h EX_TEMPFAIL). */
  public static final int TEMPFAIL = 75;

  private ExitCodes() {}
}
