package org.authmill.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard over HTTP: read-only, Basic authentication when set, report text escaped. */
class FeedbackDashboardTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String url, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void dashboard_basicAuthAndReadOnly_enforced(@TempDir Path tmp) throws Exception {
    try (Store store = Store.builder(StoreLocation.embedded(tmp)).build()) {
      FeedbackStore.open(store, SampleReportsTest.CLOCK);
      try (FeedbackDashboard d =
          FeedbackDashboard.start(
              store,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              Optional.of("admin:s3cret"),
              ip -> "")) {
        String base = "http://127.0.0.1:" + d.address().getPort();
        HttpResponse<String> none = get(base + "/", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
            .get()
            .asString()
            .contains("Basic");
        String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:nope".getBytes());
        assertThat(get(base + "/", wrong).statusCode()).isEqualTo(401);
        String right = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret".getBytes());
        HttpResponse<String> ok = get(base + "/", right);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("No reports imported yet");
        HttpResponse<String> post =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/domain?d=x"))
                    .header("Authorization", right)
                    .POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get(base + "/domain", right).statusCode()).isEqualTo(400);
        assertThat(get(base + "/nothing", right).statusCode()).isEqualTo(404);
      }
    }
  }

  @Test
  void dashboard_hostileReportText_escaped(@TempDir Path tmp) throws Exception {
    try (Store store = Store.builder(StoreLocation.embedded(tmp)).build()) {
      FeedbackStore sink = FeedbackStore.open(store, SampleReportsTest.CLOCK);
      byte[] report =
          Generated.report(
              // XML-escaped in the report, so the parsed text is the markup itself.
              "&lt;script&gt;alert(1)&lt;/script&gt;",
              "\"&gt;&lt;img src=x onerror=alert(2)&gt;",
              "example.com",
              Generated.record("192.0.2.1", 2, false)
                  .replace(
                      "example.com</header_from>", "&lt;svg onload=alert(3)&gt;</header_from>"));
      FeedbackImporter importer = FeedbackImporter.builder(sink).build();
      importer.importPayload("x.xml", new ByteArrayInputStream(report));
      assertThat(importer.outcome().failures()).isEmpty();
      assertThat(importer.outcome().imported()).isEqualTo(1);
      try (FeedbackDashboard d =
          FeedbackDashboard.start(
              store,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              Optional.empty(),
              ip -> "")) {
        String base = "http://127.0.0.1:" + d.address().getPort();
        HttpResponse<String> page = get(base + "/domain?d=example.com", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
            .doesNotContain("<script>alert")
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
            .contains("default-src 'none'");
        HttpResponse<String> rows = get(base + "/rows?d=example.com", null);
        assertThat(rows.body())
            .doesNotContain("<img src=x")
            .doesNotContain("<svg onload")
            .contains("&lt;svg onload=alert(3)&gt;");
        assertThat(new String(rows.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
            .contains("192.0.2.1");
      }
    }
  }
}
