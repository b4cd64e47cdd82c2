package org.authmill.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Report events for tests. */
final class Events {
  private Events() {}

  static PolicyPublished policy(String domain) {
    return new PolicyPublished(
        domain,
        "reject",
        Optional.of("quarantine"),
        Optional.of("reject"),
        "r",
        "s",
        "treewalk",
        "1:d",
        "n",
        "u");
  }

  static ReportRow row(String ip, String from, boolean pass) {
    return new ReportRow(
        ip,
        from,
        Optional.of("bounce." + from),
        Optional.of("receiver.example"),
        new PolicyEvaluated(
            pass ? "pass" : "reject",
            pass ? "pass" : "fail",
            "fail",
            pass ? List.of() : List.of(new OverrideReason("other", Optional.of("a comment")))),
        Optional.of(SpfAuth.mfrom("bounce." + from, pass ? "pass" : "softfail")),
        List.of(
            new DkimAuth(from, "s1", pass ? "pass" : "fail"),
            new DkimAuth("esp.example", "k2", "pass")));
  }

  static ReportEvent event(Instant time, String ip, String from, boolean pass, String rua) {
    return new ReportEvent(time, row(ip, from, pass), policy(from), from, List.of(rua));
  }
}
