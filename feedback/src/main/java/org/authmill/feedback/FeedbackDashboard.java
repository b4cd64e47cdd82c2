package org.authmill.feedback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.authmill.store.Store;

/**
 * The read-only web page of received reports ({@code authmill feedback dashboard}), served by the
 * JDK's HTTP server: per domain, messages per day by DMARC result, the alignment breakdown, the top
 * failing sources, the readiness verdicts, every source, and the raw stored rows behind each
 * number. Charts are inline SVG drawn here; the page has no script. Only GET and HEAD are answered.
 * It binds where told (the command defaults to 127.0.0.1); with credentials set, every request
 * needs HTTP Basic authentication (RFC 7617).
 */
public final class FeedbackDashboard implements AutoCloseable {
  /** Most raw rows one page shows. */
  static final int MAX_ROWS = 500;

  private final HttpServer server;
  private final ExecutorService executor;
  private final FeedbackQueries queries;
  private final Function<String, String> reverse;
  private final Optional<String> expectedAuth;

  private FeedbackDashboard(
      HttpServer server,
      ExecutorService executor,
      Store store,
      Function<String, String> reverse,
      Optional<String> expectedAuth) {
    this.server = server;
    this.executor = executor;
    this.queries = new FeedbackQueries(store);
    this.reverse = reverse;
    this.expectedAuth = expectedAuth;
  }

  /**
   * Starts serving.
   *
   * @param store a store whose feedback tables are migrated ({@link FeedbackStore#open})
   * @param listen the address to bind (port 0 picks a free one)
   * @param basicAuth {@code user:password} to require, or empty for none
   * @param reverse reverse names of source addresses (empty string when none)
   */
  public static FeedbackDashboard start(
      Store store,
      InetSocketAddress listen,
      Optional<String> basicAuth,
      Function<String, String> reverse)
      throws IOException {
    HttpServer server = HttpServer.create(listen, 16);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    FeedbackDashboard dashboard =
        new FeedbackDashboard(
            server,
            executor,
            store,
            reverse,
            basicAuth.map(
                c ->
                    "Basic "
                        + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8))));
    server.createContext("/", dashboard::handle);
    server.setExecutor(executor);
    server.start();
    return dashboard;
  }

  /** The bound address (with the real port). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      ex.getResponseHeaders()
          .set(
              "Content-Security-Policy",
              "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors"
                  + " 'none'");
      ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      if (expectedAuth.isPresent()) {
        String given = ex.getRequestHeaders().getFirst("Authorization");
        if (given == null
            || !MessageDigest.isEqual(
                given.strip().getBytes(StandardCharsets.UTF_8),
                expectedAuth.get().getBytes(StandardCharsets.UTF_8))) {
          ex.getResponseHeaders()
              .set("WWW-Authenticate", "Basic realm=\"authmill feedback\", charset=\"UTF-8\"");
          send(ex, 401, "text/plain", "authentication required\n");
          return;
        }
      }
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain", "read-only: GET and HEAD only\n");
        return;
      }
      Map<String, String> q = query(ex.getRequestURI().getRawQuery());
      String path = ex.getRequestURI().getPath();
      try {
        switch (path) {
          case "/" -> send(ex, 200, "text/html", index());
          case "/domain" -> send(ex, 200, "text/html", domain(q.get("d"), since(q.get("since"))));
          case "/rows" ->
              send(ex, 200, "text/html", rows(q.get("d"), since(q.get("since")), q.get("source")));
          default -> send(ex, 404, "text/plain", "not found\n");
        }
      } catch (IllegalArgumentException e) {
        send(ex, 400, "text/plain", e.getMessage() + "\n");
      } catch (RuntimeException e) {
        send(ex, 500, "text/plain", "error: " + e.getMessage() + "\n");
      }
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static Instant since(String text) {
    if (text == null || text.isBlank()) {
      return Instant.EPOCH;
    }
    try {
      return LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("since: expected a date such as 2026-01-31");
    }
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + Html.esc(title)
        + "</title><style>"
        + "body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}"
        + "table{border-collapse:collapse;margin:8px 0 20px}"
        + "td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}"
        + "td.n{text-align:right}th{background:#f3f3f3}"
        + ".ready{color:#2e7d32;font-weight:bold}.not-ready{color:#c62828;font-weight:bold}"
        + ".cards{display:flex;gap:16px}.card{border:1px solid #ccc;padding:8px 16px}"
        + ".card b{font-size:22px;display:block}h2{margin-top:28px}"
        + "</style></head><body>"
        + body
        + "</body></html>";
  }

  private String index() {
    StringBuilder b = new StringBuilder("<h1>authmill: received DMARC reports</h1>");
    List<String> domains = queries.domains();
    if (domains.isEmpty()) {
      b.append("<p>No reports imported yet: run <code>authmill feedback import</code>.</p>");
    }
    b.append("<ul id=\"domains\">");
    for (String d : domains) {
      b.append("<li><a href=\"/domain?d=")
          .append(Html.esc(Html.url(d)))
          .append("\">")
          .append(Html.esc(d))
          .append("</a></li>");
    }
    b.append("</ul>");
    return page("authmill feedback", b.toString());
  }

  private String domain(String domain, Instant since) {
    if (domain == null || domain.isBlank()) {
      throw new IllegalArgumentException("d: the domain is missing");
    }
    String d = domain.strip().toLowerCase(Locale.ROOT);
    FeedbackSummary s = queries.summary(d, since, reverse);
    String rowsLink = "/rows?d=" + Html.esc(Html.url(d));
    StringBuilder b = new StringBuilder();
    b.append("<p><a href=\"/\">all domains</a></p>");
    b.append("<h1 id=\"domain\">").append(Html.esc(d)).append("</h1>");
    b.append("<div class=\"cards\">");
    card(b, "messages", "messages", Long.toString(s.messages()), rowsLink);
    card(
        b,
        "dmarc-pass-rate",
        "DMARC pass",
        String.format(
            Locale.ROOT, "%.1f%%", 100 * FeedbackSummary.rate(s.dmarcPass(), s.messages())),
        rowsLink);
    card(b, "dmarc-fail", "DMARC fail", Long.toString(s.messages() - s.dmarcPass()), rowsLink);
    card(b, "reports", "reports", Long.toString(s.reports()), rowsLink);
    card(b, "sources", "sources", Integer.toString(s.sources().size()), rowsLink);
    card(b, "policy", "policy", s.currentPolicy().isEmpty() ? "-" : "p=" + s.currentPolicy(), null);
    b.append("</div>");
    b.append("<p>Reported by ")
        .append(Html.esc(orgs(s.reportingOrgs())))
        .append(s.first() == null ? "" : ", " + s.first() + " to " + s.last())
        .append("; ")
        .append(s.failureReports())
        .append(" failure report(s).</p>");

    b.append("<h2>Readiness</h2><ul id=\"readiness\">");
    for (Readiness r : s.readiness()) {
      b.append("<li data-policy=\"")
          .append(Html.esc(r.policy()))
          .append("\"><span class=\"")
          .append(Html.esc(r.verdict()))
          .append("\">")
          .append(Html.esc(r.verdict()))
          .append("</span>: ")
          .append(Html.esc(r.sentence()))
          .append("</li>");
    }
    b.append("</ul>");

    b.append("<h2>Messages per day by DMARC result</h2>");
    b.append(SvgCharts.volume(queries.volumeByDay(d, since)));
    b.append("<p><span style=\"color:")
        .append(SvgCharts.PASS)
        .append("\">&#9632; pass</span> <span style=\"color:")
        .append(SvgCharts.FAIL)
        .append("\">&#9632; fail</span></p>");

    b.append("<h2>Alignment</h2>");
    long[] a = queries.alignment(d, since);
    b.append(
        SvgCharts.bars(
            "alignment-chart",
            new String[] {
              "DKIM and SPF aligned", "DKIM aligned only", "SPF aligned only", "neither"
            },
            a,
            new String[] {SvgCharts.PASS, "#66bb6a", "#9ccc65", SvgCharts.FAIL}));

    b.append("<h2>Top failing sources</h2><table id=\"failing\"><tr><th>source</th>")
        .append("<th>reverse name</th><th>DMARC fail</th><th>messages</th><th>reported by</th>")
        .append("</tr>");
    s.sources().stream()
        .filter(x -> x.dmarcFail() > 0)
        .sorted((x, y) -> Long.compare(y.dmarcFail(), x.dmarcFail()))
        .limit(10)
        .forEach(
            x ->
                b.append("<tr data-source=\"")
                    .append(Html.esc(x.sourceIp()))
                    .append("\"><td><a href=\"")
                    .append(rowsLink)
                    .append("&amp;source=")
                    .append(Html.esc(Html.url(x.sourceIp())))
                    .append("\">")
                    .append(Html.esc(x.sourceIp()))
                    .append("</a></td><td>")
                    .append(Html.esc(x.reverseName()))
                    .append("</td><td class=\"n fail\">")
                    .append(x.dmarcFail())
                    .append("</td><td class=\"n messages\">")
                    .append(x.messages())
                    .append("</td><td>")
                    .append(Html.esc(orgs(x.reportingOrgs())))
                    .append("</td></tr>"));
    b.append("</table>");

    b.append("<h2>All sources</h2><table id=\"all-sources\"><tr><th>source</th>")
        .append("<th>reverse name</th><th>messages</th><th>DMARC pass</th><th>DKIM aligned</th>")
        .append("<th>SPF aligned</th><th>DKIM pass</th><th>SPF pass</th><th>reported by</th></tr>");
    for (SourceSummary x : s.sources()) {
      b.append("<tr data-source=\"")
          .append(Html.esc(x.sourceIp()))
          .append("\"><td><a href=\"")
          .append(rowsLink)
          .append("&amp;source=")
          .append(Html.esc(Html.url(x.sourceIp())))
          .append("\">")
          .append(Html.esc(x.sourceIp()))
          .append("</a></td><td>")
          .append(Html.esc(x.reverseName()))
          .append("</td><td class=\"n messages\">")
          .append(x.messages())
          .append("</td><td class=\"n dmarc-pass\">")
          .append(x.dmarcPass())
          .append("</td><td class=\"n\">")
          .append(x.dkimAligned())
          .append("</td><td class=\"n\">")
          .append(x.spfAligned())
          .append("</td><td class=\"n\">")
          .append(x.dkimPass())
          .append("</td><td class=\"n\">")
          .append(x.spfPass())
          .append("</td><td>")
          .append(Html.esc(orgs(x.reportingOrgs())))
          .append("</td></tr>");
    }
    b.append("</table>");
    b.append("<p><a id=\"raw-rows\" href=\"").append(rowsLink).append("\">raw rows</a></p>");
    return page(d + " - authmill feedback", b.toString());
  }

  /** Organization names for display; a report without {@code org_name} shows as such. */
  private static String orgs(List<String> names) {
    return String.join(", ", names.stream().map(n -> n.isEmpty() ? "(no org_name)" : n).toList());
  }

  private static void card(StringBuilder b, String id, String label, String value, String link) {
    b.append("<div class=\"card\">");
    if (link != null) {
      b.append("<a href=\"").append(link).append("\">");
    }
    b.append("<b id=\"").append(id).append("\">").append(Html.esc(value)).append("</b>");
    if (link != null) {
      b.append("</a>");
    }
    b.append(Html.esc(label)).append("</div>");
  }

  private String rows(String domain, Instant since, String source) {
    if (domain == null || domain.isBlank()) {
      throw new IllegalArgumentException("d: the domain is missing");
    }
    String d = domain.strip().toLowerCase(Locale.ROOT);
    String ip = source == null || source.isBlank() ? null : source.strip();
    List<FeedbackQueries.RawRow> rows = queries.rows(d, since, ip, MAX_ROWS);
    StringBuilder b = new StringBuilder();
    b.append("<p><a href=\"/domain?d=")
        .append(Html.esc(Html.url(d)))
        .append("\">")
        .append(Html.esc(d))
        .append("</a></p>");
    b.append("<h1>Raw rows: ").append(Html.esc(d));
    if (ip != null) {
      b.append(", source ").append(Html.esc(ip));
    }
    b.append("</h1><p>")
        .append(rows.size())
        .append(rows.size() == MAX_ROWS ? " (the newest " + MAX_ROWS + ")" : "")
        .append(" rows.</p>");
    b.append("<table id=\"rows\"><tr><th>reporter</th><th>report id</th><th>begin</th>")
        .append("<th>end</th><th>source</th><th>messages</th><th>disposition</th>")
        .append("<th>DKIM aligned</th><th>SPF aligned</th><th>header from</th>")
        .append("<th>envelope from</th><th>DKIM results</th><th>SPF results</th><th>reasons</th>")
        .append("</tr>");
    for (FeedbackQueries.RawRow r : rows) {
      b.append("<tr class=\"").append(r.dmarcPass() ? "pass" : "fail").append("\">");
      for (String cell :
          new String[] {
            r.orgName(),
            r.reportId(),
            r.begin().toString(),
            r.end().toString(),
            r.sourceIp(),
            Long.toString(r.messages()),
            r.disposition(),
            r.dkimAligned(),
            r.spfAligned(),
            r.headerFrom(),
            r.envelopeFrom(),
            r.dkimResults(),
            r.spfResults(),
            r.reasons()
          }) {
        b.append("<td>").append(Html.esc(cell)).append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</table>");
    return page("rows - " + d, b.toString());
  }
}
