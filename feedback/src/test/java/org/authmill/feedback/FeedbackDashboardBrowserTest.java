package org.authmill.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.authmill.testkit.Chromium;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: headless Chromium loads the page of a domain imported from the
 * shared samples, and every number shown is checked against the store. The screenshot goes to
 * {@code target/dashboard.png} (the one in docs/ is a copy of it).
 */
class FeedbackDashboardBrowserTest {
  @Test
  @Timeout(180)
  void dashboard_samplesDomain_showsTheStoredNumbers(@TempDir Path tmp) throws Exception {
    Chromium chromium = Chromium.find(tmp);
    try (Store store = Store.builder(StoreLocation.embedded(tmp.resolve("state"))).build()) {
      FeedbackStore sink = FeedbackStore.open(store, SampleReportsTest.CLOCK);
      ImportOutcome imported =
          FeedbackImporter.builder(sink).build().importPaths(List.of(TestPaths.suite("dmarc")));
      assertThat(imported.failed()).isZero();
      FeedbackQueries queries = new FeedbackQueries(store);
      FeedbackSummary summary = queries.summary("example.com", Instant.EPOCH, ip -> "");
      assertThat(summary.messages()).isPositive();

      try (FeedbackDashboard dashboard =
          FeedbackDashboard.start(
              store,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              Optional.empty(),
              ip -> "")) {
        String base = "http://127.0.0.1:" + dashboard.address().getPort();
        ChromeDriverService service =
            new ChromeDriverService.Builder()
                .usingDriverExecutable(chromium.driver().toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.browser().toFile());
        options.addArguments(chromium.arguments());
        WebDriver browser = new ChromeDriver(service, options);
        try {
          browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
          browser.get(base + "/");
          List<String> domains =
              browser.findElements(By.cssSelector("#domains a")).stream()
                  .map(WebElement::getText)
                  .toList();
          assertThat(domains).containsExactlyElementsOf(queries.domains());

          browser.findElement(By.linkText("example.com")).click();
          assertThat(browser.findElement(By.id("domain")).getText()).isEqualTo("example.com");
          assertThat(browser.findElement(By.id("messages")).getText())
              .isEqualTo(Long.toString(summary.messages()));
          assertThat(browser.findElement(By.id("dmarc-fail")).getText())
              .isEqualTo(Long.toString(summary.messages() - summary.dmarcPass()));
          assertThat(browser.findElement(By.id("reports")).getText())
              .isEqualTo(Long.toString(summary.reports()));
          assertThat(browser.findElement(By.id("sources")).getText())
              .isEqualTo(Integer.toString(summary.sources().size()));

          // Every source row against the store.
          List<WebElement> rows =
              browser.findElements(By.cssSelector("#all-sources tr[data-source]"));
          assertThat(rows).hasSize(summary.sources().size());
          for (SourceSummary s : summary.sources()) {
            WebElement row =
                browser.findElement(
                    By.cssSelector("#all-sources tr[data-source='" + s.sourceIp() + "']"));
            assertThat(row.findElement(By.className("messages")).getText())
                .isEqualTo(Long.toString(s.messages()));
            assertThat(row.findElement(By.className("dmarc-pass")).getText())
                .isEqualTo(Long.toString(s.dmarcPass()));
          }

          // The volume chart: its bars add up to the messages, pass and fail.
          long chartPass = 0;
          long chartFail = 0;
          for (WebElement bar : browser.findElements(By.cssSelector("#volume-chart rect"))) {
            long n = Long.parseLong(bar.getAttribute("data-messages"));
            if (bar.getAttribute("class").equals("pass")) {
              chartPass += n;
            } else {
              chartFail += n;
            }
          }
          assertThat(chartPass).isEqualTo(summary.dmarcPass());
          assertThat(chartFail).isEqualTo(summary.messages() - summary.dmarcPass());

          // The alignment bars add up to the messages too.
          long aligned =
              browser.findElements(By.cssSelector("#alignment-chart rect")).stream()
                  .mapToLong(r -> Long.parseLong(r.getAttribute("data-messages")))
                  .sum();
          assertThat(aligned).isEqualTo(summary.messages());

          // The readiness verdicts as computed.
          for (Readiness r : summary.readiness()) {
            WebElement item =
                browser.findElement(
                    By.cssSelector("#readiness li[data-policy='" + r.policy() + "']"));
            assertThat(item.getText()).contains(r.verdict()).contains(r.sentence());
          }

          Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
          Path target = Path.of("target", "dashboard.png");
          Files.createDirectories(target.getParent());
          Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);

          // The raw rows behind the numbers: their messages add up to the total.
          browser.findElement(By.id("raw-rows")).click();
          long rawMessages =
              browser.findElements(By.cssSelector("#rows tr.pass, #rows tr.fail")).stream()
                  .mapToLong(r -> Long.parseLong(r.findElements(By.tagName("td")).get(5).getText()))
                  .sum();
          assertThat(rawMessages).isEqualTo(summary.messages());
        } finally {
          browser.quit();
        }
      }
    }
  }
}
