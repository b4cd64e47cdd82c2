package org.authmill.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded random world of SPF records for the pyspf differential test: a pool of hosts, MX sets,
 * include targets, exists and PTR data, and one domain per case whose record mixes random terms.
 * The same seed always gives the same zone text and the same questions.
 */
final class DifferentialWorld {

  /** One question: may {@code ip} send as {@code mailFrom} after {@code helo}? */
  record Case(int id, String ip, String mailFrom, String helo, String record) {}

  final StringBuilder zone = new StringBuilder();
  final List<Case> cases = new ArrayList<>();
  private final Random random;
  private final List<String> hostAddresses4 = new ArrayList<>();
  private final List<String> hostAddresses6 = new ArrayList<>();
  private static final String POOL = "pool.diff.test";
  private static final int HOSTS = 12;
  private static final int INCLUDES = 7;

  DifferentialWorld(long seed, int caseCount) {
    random = new Random(seed);
    pool();
    for (int i = 1; i <= caseCount; i++) {
      caseDomain(i);
    }
  }

  private void rr(String name, String type, String data) {
    zone.append(name).append(".\t300\tIN\t").append(type).append('\t').append(data).append('\n');
  }

  private void txt(String name, String text) {
    rr(name, "TXT", '"' + text + '"');
  }

  private String v4() {
    return (random.nextBoolean() ? "192.0.2." : "198.51.100.") + (1 + random.nextInt(250));
  }

  private String v6() {
    return "2001:db8:"
        + Integer.toHexString(1 + random.nextInt(4))
        + "::"
        + (1 + random.nextInt(9));
  }

  private void pool() {
    for (int h = 1; h <= HOSTS; h++) {
      String host = "h" + h + "." + POOL;
      if (h % 5 != 0) {
        String a = v4();
        hostAddresses4.add(a);
        rr(host, "A", a);
      }
      if (h % 3 == 0) {
        String aaaa = v6();
        hostAddresses6.add(aaaa);
        rr(host, "AAAA", aaaa);
      }
      if (h % 5 == 0) {
        txt(host, "no addresses here");
      }
    }
    rr("mxa." + POOL, "MX", "10 h1." + POOL + ".");
    rr("mxa." + POOL, "MX", "20 h3." + POOL + ".");
    rr("mxb." + POOL, "MX", "10 h6." + POOL + ".");
    rr("mxnx." + POOL, "MX", "10 nohost." + POOL + ".");
    for (int i = 1; i <= 11; i++) {
      rr("mxbig." + POOL, "MX", i + " h" + (1 + (i % HOSTS)) + "." + POOL + ".");
    }
    rr("mxnull." + POOL, "MX", "0 .");
    txt("inc1." + POOL, "v=spf1 ip4:" + v4() + "/28 ip6:2001:db8:2::/48 -all");
    txt("inc2." + POOL, "v=spf1 a:h2." + POOL + " mx:mxb." + POOL + " ~all");
    txt("inc3." + POOL, "v=spf1 ?all");
    txt("inc4." + POOL, "v=spf1 include:inc1." + POOL + " include:inc2." + POOL + " -all");
    rr("inc5." + POOL, "A", v4());
    txt("inc6." + POOL, "v=spf1 ip4:192.0.2.0/25 exists:%{ir}.bl." + POOL + " -all");
    txt("inc7." + POOL, "v=spf1 a:h4." + POOL + "/24 redirect=inc3." + POOL);
    txt("inc8." + POOL, "v=spf1 ip4:300.1.2.3 -all");
    rr("ex." + POOL, "A", "127.0.0.2");
    for (int k = 0; k < 6; k++) {
      String listed = hostAddresses4.get(random.nextInt(hostAddresses4.size()));
      String[] o = listed.split("\\.");
      rr(o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".bl." + POOL, "A", "127.0.0.2");
    }
    rr("alice.users." + POOL, "A", "127.0.0.2");
    txt("exp1." + POOL, "denied %{i} for %{s}");
    txt("exp2." + POOL, "%{l} via %{d} from %{c}");
    // Reverse names for some host addresses: some validate, some lie.
    for (int k = 0; k < hostAddresses4.size(); k++) {
      String ip = hostAddresses4.get(k);
      String[] o = ip.split("\\.");
      String target = k % 3 == 2 ? "liar" + k + "." + POOL : "h" + hostIndex(ip) + "." + POOL;
      rr(o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa", "PTR", target + ".");
    }
  }

  private int hostIndex(String address) {
    String text = zone.toString();
    int at = text.indexOf("\tA\t" + address + "\n");
    int lineStart = text.lastIndexOf('\n', at) + 1;
    String owner = text.substring(lineStart, text.indexOf('.', lineStart));
    return Integer.parseInt(owner.substring(1));
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  private String host() {
    return "h" + (1 + random.nextInt(HOSTS)) + "." + POOL;
  }

  private String term(String self) {
    String qualifier = pick("", "", "", "+", "-", "~", "?");
    String mechanism =
        switch (random.nextInt(20)) {
          case 0, 1 -> "ip4:" + v4() + pick("", "/24", "/25", "/28", "/32");
          case 2 -> "ip6:" + pick("2001:db8:1::/48", "2001:db8:2::/64", "2001:db8:3::1", "::/0");
          case 3 -> "a";
          case 4, 5 -> "a:" + host() + pick("", "", "/24", "//64", "/16//48");
          case 6 -> "a:nx" + random.nextInt(3) + "." + POOL;
          case 7 -> "mx" + pick("", "/24");
          case 8 -> "mx:" + pick("mxa.", "mxb.", "mxnx.", "mxnull.") + POOL;
          case 9 -> "mx:mxbig." + POOL;
          case 10, 11 -> "include:inc" + (1 + random.nextInt(INCLUDES + 1)) + "." + POOL;
          case 12 -> "exists:ex." + POOL;
          case 13 -> "exists:%{i}.bl." + POOL;
          case 14 -> "exists:%{ir}.bl." + POOL;
          case 15 -> "exists:%{l}.users." + POOL;
          case 16 -> "ptr";
          case 17 -> "ptr:" + POOL;
          case 18 -> "a:%{d}";
          default -> "include:" + self;
        };
    return qualifier + mechanism;
  }

  private void caseDomain(int i) {
    String domain = "c" + i + ".diff.test";
    StringBuilder record = new StringBuilder("v=spf1");
    int terms = 1 + random.nextInt(5);
    for (int t = 0; t < terms; t++) {
      String term = term(domain);
      if (term.endsWith("include:" + domain)) {
        term = "include:inc" + (1 + random.nextInt(INCLUDES)) + "." + POOL;
      }
      record.append(' ').append(term);
    }
    switch (random.nextInt(7)) {
      case 0, 1 -> record.append(" -all");
      case 2 -> record.append(" ~all");
      case 3 -> record.append(" ?all");
      case 4 ->
          record
              .append(" redirect=inc")
              .append(1 + random.nextInt(INCLUDES))
              .append('.')
              .append(POOL);
      case 5 ->
          record.append(i > 1 ? " redirect=c" + (1 + random.nextInt(i - 1)) + ".diff.test" : "");
      default -> {}
    }
    if (random.nextInt(4) == 0) {
      record.append(" exp=exp").append(1 + random.nextInt(2)).append('.').append(POOL);
    }
    txt(domain, record.toString());
    if (random.nextBoolean()) {
      String a = v4();
      rr(domain, "A", a);
      hostAddresses4.add(a);
    }
    if (random.nextInt(3) == 0) {
      rr(domain, "AAAA", v6());
    }
    if (random.nextBoolean()) {
      rr(domain, "MX", "10 " + host() + ".");
    }
    String ip =
        switch (random.nextInt(6)) {
          case 0, 1 -> hostAddresses4.get(random.nextInt(hostAddresses4.size()));
          case 2 -> v4();
          case 3 ->
              hostAddresses6.isEmpty()
                  ? v6()
                  : hostAddresses6.get(random.nextInt(hostAddresses6.size()));
          case 4 -> v6();
          default -> "203.0.113." + (1 + random.nextInt(250));
        };
    String local = pick("alice", "bob", "x+tag", "postmaster", "");
    String mailFrom = local.isEmpty() ? "" : local + "@" + domain;
    String helo = local.isEmpty() ? domain : pick("mail.example.org", domain);
    cases.add(new Case(i, ip, mailFrom, helo, record.toString()));
  }
}
