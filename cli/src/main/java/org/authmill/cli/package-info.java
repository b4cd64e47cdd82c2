/**
 * The {@code authmill} command: {@code serve} runs the milter filter; the other subcommands check a
 * message, sign, verify, generate keys and build and lint DNS records. Exit status: 0 pass, 1 any
 * other verdict, 2 bad usage or input, 75 temporary failure ({@link org.authmill.cli.ExitCodes}).
 */
package org.authmill.cli;
