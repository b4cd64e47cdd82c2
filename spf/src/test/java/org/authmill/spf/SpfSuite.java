package org.authmill.spf;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenSPF YAML suite format (../shared/testsuites/SOURCES.md): scenarios of tests. */
final class SpfSuite {
  private SpfSuite() {}

  /** One test of a scenario. */
  record Case(
      String name,
      String scenario,
      String spec,
      String helo,
      String host,
      String mailFrom,
      List<String> results,
      String explanation,
      SuiteZone zone) {

    /** True when {@code result} is one of the acceptable results. */
    boolean accepts(SpfResult result) {
      return results.contains(result.keyword());
    }
  }

  /** Reads every test of every scenario of a suite file, in file order. */
  @SuppressWarnings("unchecked")
  static List<Case> read(Path file) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Case> cases = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> docs =
        yaml.readerFor(Map.class).readValues(file.toFile())) {
      while (docs.hasNext()) {
        Map<String, Object> scenario = docs.next();
        if (scenario == null || !scenario.containsKey("tests")) {
          continue;
        }
        String description = String.valueOf(scenario.get("description"));
        Map<String, Object> zonedata =
            (Map<String, Object>) scenario.getOrDefault("zonedata", new LinkedHashMap<>());
        Map<String, Object> tests = (Map<String, Object>) scenario.get("tests");
        for (Map.Entry<String, Object> test : tests.entrySet()) {
          Map<String, Object> t = (Map<String, Object>) test.getValue();
          Object result = t.get("result");
          List<String> results = new ArrayList<>();
          if (result instanceof List<?> list) {
            list.forEach(r -> results.add(String.valueOf(r).trim()));
          } else {
            results.add(String.valueOf(result).trim());
          }
          cases.add(
              new Case(
                  test.getKey(),
                  description,
                  String.valueOf(t.get("spec")),
                  String.valueOf(t.get("helo")),
                  String.valueOf(t.get("host")),
                  t.get("mailfrom") == null ? "" : String.valueOf(t.get("mailfrom")),
                  List.copyOf(results),
                  t.get("explanation") == null ? null : String.valueOf(t.get("explanation")),
                  new SuiteZone(zonedata)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }
}
