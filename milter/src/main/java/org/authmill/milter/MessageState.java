package org.authmill.milter;

/** What a session knows of the message in progress; dropped on ABORT. */
final class MessageState {
  final long startNanos = System.nanoTime();
  long filterNanos;
  String sender = "";
  int recipients;
  int rejectedRecipients;
  int headers;
  long headerBytes;
  long bodyBytes;
  boolean failed;
  String failure = "";
  boolean settled;
  String settledBy = "";
  boolean endReached;
}
