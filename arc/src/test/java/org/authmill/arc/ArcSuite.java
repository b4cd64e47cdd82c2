package org.authmill.arc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.RecordType;

/**
 * Reads the ValiMail ARC suite (see ../shared/testsuites/SOURCES.md): a YAML stream of scenarios,
 * each with tests and the TXT records its keys are published at. Messages have LF line ends in the
 * YAML and become CRLF here, as every upstream driver does.
 */
final class ArcSuite {
  private ArcSuite() {}

  /** One scenario: its tests (name to fields) and its zone, plus its signing fields if any. */
  record Scenario(String description, Map<String, JsonNode> tests, JsonNode root) {
    Map<String, List<String>> txt() {
      Map<String, List<String>> out = new HashMap<>();
      JsonNode records = root.path("txt-records");
      for (Iterator<Map.Entry<String, JsonNode>> it = records.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.put(e.getKey().toLowerCase(Locale.ROOT), List.of(e.getValue().asText()));
      }
      return out;
    }
  }

  static List<Scenario> read(Path file) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Scenario> out = new ArrayList<>();
    try (var parser = yaml.getFactory().createParser(file.toFile())) {
      Iterator<JsonNode> docs = yaml.readValues(parser, JsonNode.class);
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        Map<String, JsonNode> tests = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("tests").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          tests.put(e.getKey(), e.getValue());
        }
        out.add(new Scenario(doc.path("description").asText(), tests, doc));
      }
    }
    return out;
  }

  /** The message with every bare LF made CRLF. */
  static byte[] crlf(String message) {
    String normalized = message.replace("\r\n", "\n").replace("\n", "\r\n");
    return normalized.getBytes(StandardCharsets.UTF_8);
  }

  /** A resolver answering from a map; names not in it are NXDOMAIN. */
  static DnsResolver resolver(Map<String, List<String>> txt) {
    return new DnsResolver() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
        String key = name.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        List<String> values = txt.get(key);
        if (type != RecordType.TXT || values == null) {
          return CompletableFuture.completedFuture(new DnsAnswer.NxDomain<>(Duration.ZERO));
        }
        return CompletableFuture.completedFuture(
            (DnsAnswer<T>) new DnsAnswer.Records<>(values, Duration.ofMinutes(5)));
      }
    };
  }
}
