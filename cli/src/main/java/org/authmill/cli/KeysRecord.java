package org.authmill.cli;

/** Key record text as printed in log lines: quoted, long texts shortened in the middle. */
final class KeysRecord {
  private KeysRecord() {}

  static String quoted(String record) {
    String shown =
        record.length() <= 80
            ? record
            : record.substring(0, 50) + "..." + record.substring(record.length() - 20);
    return "\"" + shown + "\"";
  }
}
